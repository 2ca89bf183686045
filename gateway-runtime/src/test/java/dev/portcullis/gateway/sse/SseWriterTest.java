package dev.portcullis.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseWriterTest {

  private static String encode(SseEvent event) {
    return new String(SseWriter.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void writesUnnamedEventAsDataOnly() {
    assertThat(encode(SseEvent.data("[DONE]"))).isEqualTo("data: [DONE]\n\n");
  }

  @Test
  void writesEventNameBeforeData() {
    assertThat(encode(SseEvent.named("message_stop", "{\"type\":\"message_stop\"}")))
        .isEqualTo("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }

  @Test
  void splitsMultiLineDataOverSeveralDataLines() {
    assertThat(encode(SseEvent.data("a\nb\r\nc\rd")))
        .isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
  }

  @Test
  void trailingNewlineBecomesAnEmptyDataLine() {
    assertThat(encode(SseEvent.data("a\n"))).isEqualTo("data: a\ndata: \n\n");
  }

  @Test
  void writesEmptyData() {
    assertThat(encode(SseEvent.data(""))).isEqualTo("data: \n\n");
  }

  @Test
  void encodesUtf8() {
    assertThat(SseWriter.encode(SseEvent.data("✓")))
        .isEqualTo("data: ✓\n\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rejectsMultiLineEventName() {
    assertThatThrownBy(() -> SseWriter.encode(SseEvent.named("a\nb", "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writeFlushesTheEvent() throws IOException {
    boolean[] flushed = {false};
    ByteArrayOutputStream out =
        new ByteArrayOutputStream() {
          @Override
          public void flush() {
            flushed[0] = true;
          }
        };
    SseWriter.write(out, SseEvent.named("ping", "{}"));
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("event: ping\ndata: {}\n\n");
    assertThat(flushed[0]).isTrue();
  }

  @Test
  void writesComments() {
    assertThat(new String(SseWriter.comment("keep-alive"), StandardCharsets.UTF_8))
        .isEqualTo(": keep-alive\n\n");
  }
}
