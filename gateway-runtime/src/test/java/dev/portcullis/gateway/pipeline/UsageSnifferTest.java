package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageSnifferTest {
  static void feedInPieces(UsageSniffer sniffer, String stream, int piece) {
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += piece) {
      byte[] part = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + piece));
      sniffer.accept(part, part.length);
    }
  }

  @Test
  void findsOpenAiUsageSplitAcrossReads() {
    UsageSniffer s = new UsageSniffer(WireFormat.OPENAI);
    feedInPieces(
        s,
        "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":null}\r\n\r\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}\r\n\r\n"
            + "data: [DONE]\r\n\r\n",
        5);
    s.finish();
    assertThat(s.usage()).contains(new Usage(7, 3, 0));
  }

  @Test
  void findsAnthropicUsageFromStartAndDelta() {
    UsageSniffer s = new UsageSniffer(WireFormat.ANTHROPIC);
    feedInPieces(
        s,
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n"
            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":9}}\n\n",
        7);
    s.finish();
    assertThat(s.usage()).contains(new Usage(12, 9, 0));
  }

  @Test
  void aStreamWithoutUsageHasNone() {
    UsageSniffer s = new UsageSniffer(WireFormat.OPENAI);
    feedInPieces(s, "data: {\"choices\":[]}\n\ndata: [DONE]\n\n", 100);
    s.finish();
    assertThat(s.usage()).isEmpty();
  }

  @Test
  void anOversizedEventIsSkippedWithoutBreakingTheNextOne() {
    UsageSniffer s = new UsageSniffer(WireFormat.OPENAI);
    String huge = "x".repeat(200_000);
    feedInPieces(
        s,
        "data: {\"usage\":{\"prompt_tokens\":1},\"pad\":\""
            + huge
            + "\"}\n\ndata: {\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":2}}\n\n",
        8192);
    s.finish();
    assertThat(s.usage()).contains(new Usage(2, 2, 0));
  }

  @Test
  void onlyEventsThatMayCarryUsageAreDecoded() {
    byte[] key = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    assertThat(carries("data: {\"choices\":[{\"delta\":{}}],\"usage\":null}\n\n", key)).isFalse();
    assertThat(carries("data: {\"usage\" : null, \"x\":\"usage\"}\n\n", key)).isFalse();
    assertThat(carries("data: {\"choices\":[]}\n\n", key)).isFalse();
    assertThat(carries("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1}}\n\n", key)).isTrue();
    assertThat(carries("data: {\"usage\": {}}", key)).isTrue();
    assertThat(carries("data: {\"\\u0075sage\":{}}\n\n", key)).isTrue(); // escapes: decoded
    assertThat(carries("data: {\"usage\":nu", key)).isTrue(); // cut short: decoded
    byte[] gemini = "\"usageMetadata\"".getBytes(StandardCharsets.US_ASCII);
    assertThat(carries("data: {\"usageMetadata\":{\"promptTokenCount\":3}}\n\n", gemini)).isTrue();
    assertThat(carries("data: {\"usage\":{\"promptTokenCount\":3}}\n\n", gemini)).isFalse();
  }

  private static boolean carries(String event, byte[] key) {
    byte[] bytes = ("pad" + event).getBytes(StandardCharsets.UTF_8);
    return UsageSniffer.mayCarryUsage(bytes, 3, bytes.length - 3, key);
  }

  @Test
  void aStreamWithUsageNullInEveryChunkStillFindsTheLastOnes() {
    UsageSniffer s = new UsageSniffer(WireFormat.OPENAI);
    feedInPieces(
        s,
        "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":null}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":5}}\n\n"
            + "data: [DONE]\n\n",
        3);
    s.finish();
    assertThat(s.usage()).contains(new Usage(4, 5, 0));
  }

  @Test
  void resetTimesReadLikeOpenAis() {
    assertThat(AdmissionControl.resetText(250)).isEqualTo("250ms");
    assertThat(AdmissionControl.resetText(12_000)).isEqualTo("12s");
    assertThat(AdmissionControl.resetText(60_000)).isEqualTo("1m0s");
  }
}
