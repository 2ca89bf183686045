package dev.portcullis.gateway.sse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Formats {@link SseEvent}s in the event-stream wire format: {@code event: name\n} (when named),
 * one {@code data: } line per line of data, and a blank line. Data containing {@code \r\n}, {@code
 * \n} or {@code \r} is split over several data lines, which a reader joins back with {@code \n}.
 */
public final class SseWriter {
  private SseWriter() {}

  /** The bytes of one event, blank line included. */
  public static byte[] encode(SseEvent event) {
    StringBuilder out = new StringBuilder(event.data().length() + 32);
    if (event.event() != null) {
      if (event.event().indexOf('\n') >= 0 || event.event().indexOf('\r') >= 0) {
        throw new IllegalArgumentException("event name must be a single line");
      }
      out.append("event: ").append(event.event()).append('\n');
    }
    String data = event.data() == null ? "" : event.data();
    int start = 0;
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c == '\n' || c == '\r') {
        out.append("data: ").append(data, start, i).append('\n');
        if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    out.append("data: ").append(data, start, data.length()).append("\n\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Writes one event and flushes, so it reaches the client now rather than with the next one. */
  public static void write(OutputStream out, SseEvent event) throws IOException {
    out.write(encode(event));
    out.flush();
  }

  /** A comment line, e.g. a keep-alive that clients ignore. */
  public static byte[] comment(String text) {
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("comment must be a single line");
    }
    return (": " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
