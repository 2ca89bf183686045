package dev.portcullis.gateway.provider;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An HTTP request to an upstream, ready to send. Headers include credentials, so this record's
 * {@code toString()} leaves header values out.
 */
public record UpstreamRequest(
    String method, URI uri, Map<String, String> headers, byte[] body, boolean stream) {
  public UpstreamRequest {
    headers = Map.copyOf(headers);
  }

  private static final Map<String, URI> PARSED = new ConcurrentHashMap<>();
  private static final int MAX_PARSED = 1024;

  /**
   * {@link URI#create}, remembered: upstream URLs come from a handful of configured base URLs, and
   * parsing one costs more than the rest of building the request.
   */
  public static URI parseUri(String uri) {
    URI known = PARSED.get(uri);
    if (known != null) {
      return known;
    }
    URI parsed = URI.create(uri);
    if (PARSED.size() < MAX_PARSED) {
      PARSED.put(uri, parsed);
    }
    return parsed;
  }

  @Override
  public String toString() {
    return "UpstreamRequest[" + method + " " + uri + ", headers=" + headers.keySet() + "]";
  }
}
