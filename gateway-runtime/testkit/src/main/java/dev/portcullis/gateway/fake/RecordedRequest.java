package dev.portcullis.gateway.fake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request the fake received, as tests need to check it: what the gateway forwarded (path,
 * headers, body) and which credential it used.
 *
 * @param receivedAt when the request arrived
 * @param method HTTP method
 * @param path the decoded path, without the query
 * @param query the raw query string, empty if none
 * @param headers header values by lower-case name
 * @param body the raw request body (empty if none)
 * @param apiKey the credential the request carried ({@code Authorization: Bearer}, {@code
 *     x-api-key}, {@code api-key}, {@code x-goog-api-key} or {@code ?key=}), or {@code null}
 */
public record RecordedRequest(
    Instant receivedAt,
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    byte[] body,
    String apiKey) {

  /** The first value of a header (case-insensitive name), or {@code null}. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Leaves out headers and the key: they carry credentials. */
  @Override
  public String toString() {
    return "RecordedRequest["
        + method
        + " "
        + path
        + (query.isEmpty() ? "" : "?" + query)
        + ", "
        + body.length
        + " body bytes, at "
        + receivedAt
        + "]";
  }
}
