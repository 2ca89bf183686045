package dev.portcullis.gateway.provider;

import java.net.URI;
import java.util.Map;

/**
 * An HTTP request to an upstream, ready to send. Headers include credentials, so this record's
 * {@code toString()} leaves header values out.
 */
public record UpstreamRequest(
    String method, URI uri, Map<String, String> headers, byte[] body, boolean stream) {
  public UpstreamRequest {
    headers = Map.copyOf(headers);
  }

  @Override
  public String toString() {
    return "UpstreamRequest[" + method + " " + uri + ", headers=" + headers.keySet() + "]";
  }
}
