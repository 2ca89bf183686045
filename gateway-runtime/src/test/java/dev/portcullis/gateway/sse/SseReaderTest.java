package dev.portcullis.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private static List<SseEvent> readAll(String stream) throws IOException {
    try (SseReader reader =
        new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)))) {
      List<SseEvent> events = new ArrayList<>();
      for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
        events.add(e.get());
      }
      return events;
    }
  }

  @Test
  void readsUnnamedDataEvents() throws IOException {
    assertThat(readAll("data: {\"a\":1}\n\ndata: [DONE]\n\n"))
        .containsExactly(SseEvent.data("{\"a\":1}"), SseEvent.data("[DONE]"));
  }

  @Test
  void readsNamedEvents() throws IOException {
    assertThat(
            readAll("event: message_start\ndata: {}\n\nevent: ping\ndata: {\"type\":\"ping\"}\n\n"))
        .containsExactly(
            SseEvent.named("message_start", "{}"), SseEvent.named("ping", "{\"type\":\"ping\"}"));
  }

  @Test
  void eventNameDoesNotLeakIntoTheNextEvent() throws IOException {
    assertThat(readAll("event: a\ndata: 1\n\ndata: 2\n\n"))
        .containsExactly(SseEvent.named("a", "1"), SseEvent.data("2"));
  }

  @Test
  void joinsMultipleDataLinesWithLineFeed() throws IOException {
    assertThat(readAll("data: first\ndata: second\ndata:\ndata: fourth\n\n"))
        .containsExactly(SseEvent.data("first\nsecond\n\nfourth"));
  }

  @Test
  void ignoresComments() throws IOException {
    assertThat(readAll(": keep-alive\n\n: another\ndata: x\n: inside\n\n"))
        .containsExactly(SseEvent.data("x"));
  }

  @Test
  void acceptsCarriageReturnLineFeedEndings() throws IOException {
    assertThat(readAll("event: e\r\ndata: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n"))
        .containsExactly(SseEvent.named("e", "a\nb"), SseEvent.data("c"));
  }

  @Test
  void acceptsBareCarriageReturnEndings() throws IOException {
    assertThat(readAll("data: a\rdata: b\r\rdata: c\r\r"))
        .containsExactly(SseEvent.data("a\nb"), SseEvent.data("c"));
  }

  @Test
  void ignoresIdRetryAndUnknownFields() throws IOException {
    assertThat(readAll("id: 7\nretry: 1000\nfoo: bar\ndata: x\n\n"))
        .containsExactly(SseEvent.data("x"));
  }

  @Test
  void dropsOnlyOneSpaceAfterTheColon() throws IOException {
    assertThat(readAll("data:no-space\n\ndata:  two-spaces\n\n"))
        .containsExactly(SseEvent.data("no-space"), SseEvent.data(" two-spaces"));
  }

  @Test
  void fieldWithoutColonHasEmptyValue() throws IOException {
    assertThat(readAll("data\n\n")).containsExactly(SseEvent.data(""));
  }

  @Test
  void eventWithoutDataIsNotDispatched() throws IOException {
    assertThat(readAll("event: ping\n\ndata: x\n\n")).containsExactly(SseEvent.data("x"));
  }

  @Test
  void extraBlankLinesYieldNothing() throws IOException {
    assertThat(readAll("\n\n\ndata: x\n\n\n\n")).containsExactly(SseEvent.data("x"));
  }

  @Test
  void dispatchesAPendingEventAtEndOfStream() throws IOException {
    assertThat(readAll("data: a\n\ndata: [DONE]\n"))
        .containsExactly(SseEvent.data("a"), SseEvent.data("[DONE]"));
    assertThat(readAll("data: [DONE]")).containsExactly(SseEvent.data("[DONE]"));
  }

  @Test
  void emptyStreamHasNoEvents() throws IOException {
    assertThat(readAll("")).isEmpty();
  }

  @Test
  void keepsReturningEmptyAfterTheEnd() throws IOException {
    SseReader reader = new SseReader(new ByteArrayInputStream("data: a\n\n".getBytes()));
    assertThat(reader.next()).contains(SseEvent.data("a"));
    assertThat(reader.next()).isEmpty();
    assertThat(reader.next()).isEmpty();
  }

  @Test
  void decodesUtf8AndDropsALeadingByteOrderMark() throws IOException {
    assertThat(readAll("\uFEFFdata: héllo ✓ 你好\n\n")).containsExactly(SseEvent.data("héllo ✓ 你好"));
  }

  @Test
  void decodesMultibyteCharactersSplitAcrossReads() throws IOException {
    byte[] bytes = "data: 你好\n\n".getBytes(StandardCharsets.UTF_8);
    ChunkedStream in = new ChunkedStream();
    for (byte b : bytes) {
      in.add(new byte[] {b});
    }
    assertThat(new SseReader(in).next()).contains(SseEvent.data("你好"));
  }

  @Test
  void returnsEachEventWithoutWaitingForTheNext() throws IOException {
    ChunkedStream in = new ChunkedStream();
    in.add("event: message_start\ndata: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8));
    SseReader reader = new SseReader(in);

    assertThat(reader.next()).contains(SseEvent.named("message_start", "{\"n\":1}"));

    in.add("data: par".getBytes(StandardCharsets.UTF_8));
    in.add("tial\n\n".getBytes(StandardCharsets.UTF_8));
    assertThat(reader.next()).contains(SseEvent.data("partial"));
  }

  @Test
  void carriageReturnEndingAnEventDoesNotWaitForALineFeed() throws IOException {
    ChunkedStream in = new ChunkedStream();
    in.add("data: a\r\r".getBytes(StandardCharsets.UTF_8));
    SseReader reader = new SseReader(in);

    assertThat(reader.next()).contains(SseEvent.data("a"));

    in.add("\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    assertThat(reader.next()).contains(SseEvent.data("b"));
  }

  @Test
  void rejectsAnEventLargerThanTheLimit() {
    SseReader reader =
        new SseReader(new ByteArrayInputStream("data: 0123456789\n\n".getBytes()), 8);
    assertThatThrownBy(reader::next)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("8 bytes");
  }

  @Test
  void sizeLimitAppliesPerEvent() throws IOException {
    SseReader reader =
        new SseReader(new ByteArrayInputStream("data: 1\n\ndata: 2\n\ndata: 3\n\n".getBytes()), 8);
    assertThat(reader.next()).contains(SseEvent.data("1"));
    assertThat(reader.next()).contains(SseEvent.data("2"));
    assertThat(reader.next()).contains(SseEvent.data("3"));
  }

  @Test
  void readsBackWhatTheWriterWrote() throws IOException {
    List<SseEvent> events =
        List.of(
            SseEvent.named("content_block_delta", "{\"text\":\"a\"}"),
            SseEvent.data("line one\nline two\n"),
            SseEvent.data(""));
    StringBuilder wire = new StringBuilder();
    for (SseEvent e : events) {
      wire.append(new String(SseWriter.encode(e), StandardCharsets.UTF_8));
    }
    assertThat(readAll(wire.toString())).containsExactlyElementsOf(events);
  }

  /**
   * A stream fed in chunks by the test. Reading past the chunks fed so far fails the test instead
   * of blocking, which proves the reader never waits for more than the current event.
   */
  private static final class ChunkedStream extends InputStream {
    private final Deque<byte[]> chunks = new ArrayDeque<>();
    private byte[] current = new byte[0];
    private int pos;

    void add(byte[] chunk) {
      chunks.add(chunk);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos == current.length) {
        if (chunks.isEmpty()) {
          throw new AssertionError("reader asked for bytes beyond the current event");
        }
        current = chunks.poll();
        pos = 0;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return current.length - pos;
    }
  }
}
