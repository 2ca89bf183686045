package dev.portcullis.gateway.provider;

import java.time.Duration;

/** Connect and first-byte (read) timeouts for one upstream call; null = the transport default. */
public record UpstreamTimeouts(Duration connect, Duration firstByte) {
  public static final UpstreamTimeouts DEFAULT = new UpstreamTimeouts(null, null);
}
