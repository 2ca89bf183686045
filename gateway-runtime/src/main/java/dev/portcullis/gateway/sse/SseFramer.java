package dev.portcullis.gateway.sse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds where the events of an event stream end, in bytes, without decoding them: a relay can then
 * pass each event on as the bytes it came as, and decode ({@link #parse}) only the few it must look
 * into. An event ends with a blank line; lines end in {@code \r\n}, {@code \n} or {@code \r} (the
 * WHATWG grammar {@link SseReader} reads).
 *
 * <p>Bytes are handed to the sink as slices: of the array fed in when an event lies within one read
 * (the usual case: no copy), else of an internal buffer that holds an event begun in an earlier
 * read. An event that grows past {@code maxHeldBytes} is not held any longer: its bytes go to the
 * sink as they come, marked incomplete (not inspectable), until it ends.
 *
 * <p>Not thread-safe; one per stream.
 */
public final class SseFramer {
  /** Receives the events found, in order. */
  public interface Sink {
    /**
     * @param complete whether the slice is a whole event (its blank line included, or the last
     *     bytes of the stream); false for the bytes of an event too large to hold, which come in
     *     pieces
     */
    void event(byte[] bytes, int offset, int length, boolean complete) throws IOException;
  }

  private final int maxHeldBytes;
  private byte[] held = new byte[0];
  private int heldLength;

  /** The last byte ended a line (so a line ending now is a blank line). */
  private boolean lineEnded;

  /** The last byte was {@code \r}: a {@code \n} now belongs to the same line ending. */
  private boolean afterCarriageReturn;

  /** The current event outgrew the buffer and is being passed on in pieces. */
  private boolean oversized;

  public SseFramer(int maxHeldBytes) {
    this.maxHeldBytes = maxHeldBytes;
  }

  /** Feeds the next bytes of the stream; each event they complete goes to the sink. */
  public void feed(byte[] bytes, int offset, int length, Sink sink) throws IOException {
    int end = offset + length;
    int eventStart = offset;
    for (int i = offset; i < end; i++) {
      byte b = bytes[i];
      if (b == '\n' && afterCarriageReturn) {
        afterCarriageReturn = false;
        continue;
      }
      if (b == '\n' || b == '\r') {
        afterCarriageReturn = b == '\r';
        if (lineEnded) {
          lineEnded = false;
          // A blank line: the event ends here (a \n that may follow this \r goes with the next).
          emit(bytes, eventStart, i + 1 - eventStart, sink);
          eventStart = i + 1;
        } else {
          lineEnded = true;
        }
      } else {
        afterCarriageReturn = false;
        lineEnded = false;
      }
    }
    if (eventStart < end) {
      hold(bytes, eventStart, end - eventStart, sink);
    }
  }

  /** The stream ended: a last event without its blank line still goes to the sink. */
  public void finish(Sink sink) throws IOException {
    if (heldLength > 0) {
      sink.event(held, 0, heldLength, !oversized);
    }
    heldLength = 0;
    oversized = false;
    lineEnded = false;
    afterCarriageReturn = false;
  }

  private void emit(byte[] bytes, int offset, int length, Sink sink) throws IOException {
    if (oversized) {
      sink.event(bytes, offset, length, false);
      oversized = false;
    } else if (heldLength == 0) {
      sink.event(bytes, offset, length, true);
    } else {
      append(bytes, offset, length);
      int n = heldLength;
      heldLength = 0;
      sink.event(held, 0, n, true);
    }
  }

  private void hold(byte[] bytes, int offset, int length, Sink sink) throws IOException {
    if (oversized) {
      sink.event(bytes, offset, length, false);
      return;
    }
    if (heldLength + length > maxHeldBytes) {
      oversized = true;
      if (heldLength > 0) {
        int n = heldLength;
        heldLength = 0;
        sink.event(held, 0, n, false);
      }
      sink.event(bytes, offset, length, false);
      return;
    }
    append(bytes, offset, length);
  }

  private void append(byte[] bytes, int offset, int length) {
    if (heldLength + length > held.length) {
      held = Arrays.copyOf(held, Math.max(Math.max(256, held.length * 2), heldLength + length));
    }
    System.arraycopy(bytes, offset, held, heldLength, length);
    heldLength += length;
  }

  /** Whether the slice contains the ASCII text (e.g. {@code "usage"}), without decoding it. */
  public static boolean contains(byte[] bytes, int offset, int length, byte[] text) {
    int last = offset + length - text.length;
    byte first = text[0];
    for (int i = offset; i <= last; i++) {
      if (bytes[i] != first) {
        continue;
      }
      int j = 1;
      while (j < text.length && bytes[i + j] == text[j]) {
        j++;
      }
      if (j == text.length) {
        return true;
      }
    }
    return false;
  }

  /** Decodes one whole event found by a framer, as {@link SseReader} reads it. */
  public static Optional<SseEvent> parse(byte[] bytes, int offset, int length) {
    try (SseReader reader = new SseReader(new ByteArrayInputStream(bytes, offset, length))) {
      return reader.next();
    } catch (IOException e) {
      throw new IllegalStateException(e); // a byte array never fails to read
    }
  }
}
