package dev.portcullis.gateway;

import java.time.Duration;

/**
 * How to run a gateway: listeners, limits and shutdown. Port 0 picks a free port (tests).
 *
 * @param maxBodyBytes largest request body accepted (413 beyond)
 * @param shutdownGrace how long in-flight requests (streams included) may finish on shutdown
 */
public record GatewaySettings(
    String host, int port, int adminPort, long maxBodyBytes, Duration shutdownGrace) {

  public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

  /** Loopback, free ports, defaults: for tests and embedding. */
  public static GatewaySettings ephemeral() {
    return new GatewaySettings("127.0.0.1", 0, 0, DEFAULT_MAX_BODY, Duration.ofSeconds(5));
  }

  public GatewaySettings withMaxBodyBytes(long bytes) {
    return new GatewaySettings(host, port, adminPort, bytes, shutdownGrace);
  }

  public GatewaySettings withShutdownGrace(Duration grace) {
    return new GatewaySettings(host, port, adminPort, maxBodyBytes, grace);
  }
}
