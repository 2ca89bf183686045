package dev.portcullis.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseFramerTest {
  /** Feeds the text in pieces of the given size; returns the slices, incomplete ones marked. */
  static List<String> frame(String text, int piece, int maxHeld) throws IOException {
    SseFramer framer = new SseFramer(maxHeld);
    List<String> out = new ArrayList<>();
    SseFramer.Sink sink =
        (bytes, offset, length, complete) ->
            out.add(
                (complete ? "" : "~") + new String(bytes, offset, length, StandardCharsets.UTF_8));
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += piece) {
      // a copy, so that a slice of a later read cannot show through an earlier one
      byte[] read = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + piece));
      framer.feed(read, 0, read.length, sink);
    }
    framer.finish(sink);
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 1000})
  void eventsEndAtBlankLinesWhateverTheReadsAre(int piece) throws IOException {
    String stream =
        "data: {\"a\":1}\n\nevent: x\ndata: b\r\n\r\ndata: c\r\rdata: d\n\r\n: comment\n\ndata: [DONE]";

    assertThat(frame(stream, piece, 1024))
        .containsExactly(
            "data: {\"a\":1}\n\n",
            "event: x\ndata: b\r\n\r",
            "\ndata: c\r\r",
            "data: d\n\r",
            "\n: comment\n\n",
            "data: [DONE]");
  }

  @Test
  void theSlicesTogetherAreTheStreamByteForByte() throws IOException {
    String stream = "data: ü1\r\n\r\ndata: 2\n\n\n\ndata: 3\n\n";
    for (int piece = 1; piece < stream.length(); piece++) {
      assertThat(String.join("", frame(stream, piece, 1024))).isEqualTo(stream);
    }
  }

  @Test
  void anEventTooLargeToHoldPassesInPiecesAndTheNextIsWholeAgain() throws IOException {
    String big = "data: " + "x".repeat(100) + "\n\n";
    List<String> slices = frame(big + "data: small\n\n", 16, 32);

    assertThat(slices.subList(0, slices.size() - 1)).allMatch(s -> s.startsWith("~"));
    assertThat(String.join("", slices.subList(0, slices.size() - 1)).replace("~", ""))
        .isEqualTo(big);
    assertThat(slices.getLast()).isEqualTo("data: small\n\n");
  }

  @Test
  void containsLooksForAsciiTextInASlice() {
    byte[] bytes = "xx\"usage\":{}yy".getBytes(StandardCharsets.US_ASCII);
    byte[] usage = "usage".getBytes(StandardCharsets.US_ASCII);

    assertThat(SseFramer.contains(bytes, 0, bytes.length, usage)).isTrue();
    assertThat(SseFramer.contains(bytes, 4, bytes.length - 4, usage)).isFalse();
    assertThat(SseFramer.contains(bytes, 0, 7, usage)).isFalse();
    assertThat(SseFramer.contains(bytes, 3, 5, usage)).isTrue();
  }

  @Test
  void parseDecodesOneEventAsTheReaderDoes() {
    byte[] bytes =
        "event: message_delta\ndata: {\"a\":\ndata: 1}\n\n".getBytes(StandardCharsets.UTF_8);

    assertThat(SseFramer.parse(bytes, 0, bytes.length))
        .contains(SseEvent.named("message_delta", "{\"a\":\n1}"));
    assertThat(SseFramer.parse(bytes, 0, 0)).isEmpty();
  }
}
