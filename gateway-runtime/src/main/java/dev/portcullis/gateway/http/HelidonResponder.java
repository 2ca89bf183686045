package dev.portcullis.gateway.http;

import dev.portcullis.gateway.pipeline.ClientResponder;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpToken;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ClientResponder} over a Helidon server response. */
final class HelidonResponder implements ClientResponder {
  private final ServerResponse res;
  private boolean committed;

  HelidonResponder(ServerResponse res) {
    this.res = res;
  }

  /** Header names are a small set (the gateway's own, upstream rate-limit names): made once. */
  private static final Map<String, HeaderName> NAMES = new ConcurrentHashMap<>();

  private static final int MAX_NAMES = 512;

  /**
   * Sets a header. A value with a control character (CR, LF, NUL, …) or beyond ISO-8859-1 is
   * dropped here, so that it can neither split the answer nor add a header, and Helidon's own check
   * as it writes the answer never fails it; so is a name that is not an HTTP token (checked once
   * per name).
   */
  @Override
  public void header(String name, String value) {
    HeaderName headerName = headerName(name);
    if (headerName != null && writable(value)) {
      res.header(headerName, value);
    }
  }

  static boolean writable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        return false;
      }
    }
    return true;
  }

  private static HeaderName headerName(String name) {
    HeaderName known = NAMES.get(name);
    if (known != null) {
      return known;
    }
    try {
      HttpToken.validate(name);
    } catch (IllegalArgumentException e) {
      return null; // not a header name: nothing is sent
    }
    HeaderName created = HeaderNames.create(name);
    if (NAMES.size() < MAX_NAMES) {
      NAMES.put(name, created);
    }
    return created;
  }

  @Override
  public void send(int status, String contentType, byte[] body) {
    committed = true;
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, contentType);
    res.send(body);
  }

  @Override
  public OutputStream startStream(int status, String contentType) {
    committed = true;
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, contentType);
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.header(HeaderNames.create("x-accel-buffering"), "no");
    return res.outputStream();
  }

  @Override
  public boolean committed() {
    return committed || res.isSent();
  }
}
