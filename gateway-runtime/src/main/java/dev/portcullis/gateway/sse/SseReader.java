package dev.portcullis.gateway.sse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads server-sent events from a byte stream, one event at a time, as they arrive.
 *
 * <p>Follows the WHATWG event-stream grammar: lines end in {@code \r\n}, {@code \n} or {@code \r};
 * a blank line dispatches the event; {@code event:} names it; {@code data:} lines are joined with
 * {@code \n}; lines starting with {@code :} are comments; {@code id:}, {@code retry:} and unknown
 * fields are ignored; one space after the colon is dropped. An event with no data line is not
 * dispatched (as in browsers), so a lone {@code event: ping} yields nothing.
 *
 * <p>{@link #next()} never reads past the blank line that ends the current event, so a slow
 * upstream's events reach the caller as soon as they are complete. A trailing {@code \r} is handled
 * without looking ahead (the following {@code \n}, if any, is skipped on the next read).
 *
 * <p>Unlike a browser, a pending event at the end of the stream is dispatched rather than dropped:
 * some upstreams end with {@code data: [DONE]} and no blank line.
 *
 * <p>Not thread-safe; one reader per stream.
 */
public final class SseReader implements AutoCloseable {
  /** Bounds memory for a hostile or broken upstream that never ends a line or an event. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

  private final InputStream in;
  private final int maxEventBytes;
  private static final int READ_BUFFER = 2048;

  private final byte[] buffer = new byte[READ_BUFFER];
  private int position;
  private int limit;
  private byte[] line = new byte[256];
  private int lineLength;
  private final StringBuilder data = new StringBuilder();
  private String eventName;
  private boolean hasData;
  private int eventBytes;
  private boolean skipLineFeed;
  private boolean firstLine = true;
  private boolean ended;

  public SseReader(InputStream in) {
    this(in, DEFAULT_MAX_EVENT_BYTES);
  }

  public SseReader(InputStream in, int maxEventBytes) {
    this.in = in;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * The next byte, or -1 at the end. Reads fill a small buffer of our own with whatever is
   * available, so buffering never delays an event. It is small on purpose: one is held per open
   * stream, and HTTP clients (Helidon's) allocate a buffer of the size asked for on every read.
   */
  private int read() throws IOException {
    if (position == limit) {
      int n = in.read(buffer, 0, buffer.length);
      if (n <= 0) {
        return -1;
      }
      position = 0;
      limit = n;
    }
    return buffer[position++] & 0xff;
  }

  /**
   * The next event, blocking until it is complete; empty at the end of the stream.
   *
   * @throws IOException when reading fails or an event exceeds the size limit
   */
  public Optional<SseEvent> next() throws IOException {
    while (!ended) {
      int b = read();
      if (b == -1) {
        ended = true;
        if (lineLength > 0) {
          processLine();
        }
        return dispatch();
      }
      if (skipLineFeed) {
        skipLineFeed = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\n' || b == '\r') {
        skipLineFeed = b == '\r';
        if (lineLength == 0) {
          Optional<SseEvent> event = dispatch();
          if (event.isPresent()) {
            return event;
          }
        } else {
          processLine();
        }
        continue;
      }
      // The rest of the line that is already buffered is copied in one go.
      int run = position - 1;
      int end = position;
      while (end < limit && buffer[end] != '\n' && buffer[end] != '\r') {
        end++;
      }
      eventBytes += end - run;
      if (eventBytes > maxEventBytes) {
        throw new IOException("server-sent event larger than " + maxEventBytes + " bytes");
      }
      appendToLine(run, end - run);
      position = end;
    }
    return Optional.empty();
  }

  private void appendToLine(int from, int length) {
    if (lineLength + length > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
    }
    System.arraycopy(buffer, from, line, lineLength, length);
    lineLength += length;
  }

  private void processLine() {
    String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
    lineLength = 0;
    if (firstLine) {
      firstLine = false;
      if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
        text = text.substring(1);
      }
    }
    if (text.isEmpty() || text.charAt(0) == ':') {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = "";
    if (colon >= 0) {
      int start = colon + 1;
      if (start < text.length() && text.charAt(start) == ' ') {
        start++;
      }
      value = text.substring(start);
    }
    switch (field) {
      case "event" -> eventName = value;
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      default -> {
        // id, retry and unknown fields: a proxy has no use for them.
      }
    }
  }

  private Optional<SseEvent> dispatch() {
    firstLine = false;
    Optional<SseEvent> event =
        hasData
            ? Optional.of(
                new SseEvent(
                    eventName == null || eventName.isEmpty() ? null : eventName, data.toString()))
            : Optional.empty();
    eventName = null;
    hasData = false;
    data.setLength(0);
    eventBytes = 0;
    return event;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
