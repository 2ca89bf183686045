package dev.portcullis.gateway.provider;

import java.io.IOException;

/** Sends an {@link UpstreamRequest}: over HTTP for real providers, in-process for echo. */
public interface UpstreamTransport {
  UpstreamResponse send(UpstreamRequest request, UpstreamTimeouts timeouts) throws IOException;
}
