package dev.portcullis.gateway.routing;

import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.provider.UpstreamTimeouts;
import java.io.IOException;

/**
 * Sends the request to one target and returns once the response headers arrived. The pipeline
 * implements it (provider URL and credentials, translation); the router decides where and when. May
 * be called from several threads at once (hedging).
 */
@FunctionalInterface
public interface AttemptSender {
  UpstreamResponse send(Attempt attempt, UpstreamTimeouts timeouts) throws IOException;
}
