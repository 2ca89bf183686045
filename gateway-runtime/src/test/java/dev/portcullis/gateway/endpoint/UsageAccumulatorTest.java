package dev.portcullis.gateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.sse.SseEvent;
import org.junit.jupiter.api.Test;

class UsageAccumulatorTest {

  private static SseEvent data(String singleQuoted) {
    return SseEvent.data(singleQuoted.replace('\'', '"'));
  }

  @Test
  void openAiTakesTheUsageChunkAndIgnoresNullUsageAndDone() {
    UsageAccumulator acc = new UsageAccumulator(WireFormat.OPENAI);
    acc.accept(data("{'choices':[{'index':0,'delta':{'content':'Hi'}}],'usage':null}"));
    acc.accept(
        data(
            "{'choices':[],'usage':{'prompt_tokens':19,'completion_tokens':3,'total_tokens':22,"
                + "'prompt_tokens_details':{'cached_tokens':4}}}"));
    acc.accept(SseEvent.data("[DONE]"));
    assertThat(acc.usage()).contains(new Usage(19, 3, 4));
  }

  @Test
  void openAiStreamWithoutUsageYieldsNothing() {
    UsageAccumulator acc = new UsageAccumulator(WireFormat.OPENAI);
    acc.accept(data("{'choices':[{'index':0,'delta':{'content':'Hi'}}]}"));
    acc.accept(SseEvent.data("[DONE]"));
    assertThat(acc.usage()).isEmpty();
  }

  @Test
  void anthropicCombinesMessageStartInputWithTheLastMessageDeltaOutput() {
    UsageAccumulator acc = new UsageAccumulator(WireFormat.ANTHROPIC);
    acc.accept(
        SseEvent.named(
            "message_start",
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":472,"
                + "\"cache_creation_input_tokens\":10,\"cache_read_input_tokens\":128,\"output_tokens\":2}}}"));
    acc.accept(SseEvent.named("ping", "{\"type\":\"ping\"}"));
    acc.accept(
        SseEvent.named(
            "message_delta",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":89}}"));
    assertThat(acc.usage()).contains(new Usage(610, 89, 128));
  }

  @Test
  void anthropicMessageDeltaMayRestateInputButNullsDoNotErase() {
    UsageAccumulator acc = new UsageAccumulator(WireFormat.ANTHROPIC);
    acc.accept(
        data("{'type':'message_start','message':{'usage':{'input_tokens':50,'output_tokens':1}}}"));
    acc.accept(
        data(
            "{'type':'message_delta','usage':{'input_tokens':60,'cache_read_input_tokens':null,"
                + "'output_tokens':9}}"));
    assertThat(acc.usage()).contains(new Usage(60, 9, 0));
  }

  @Test
  void anthropicStreamWithoutUsageYieldsNothing() {
    UsageAccumulator acc = new UsageAccumulator(WireFormat.ANTHROPIC);
    acc.accept(data("{'type':'ping'}"));
    assertThat(acc.usage()).isEmpty();
  }

  @Test
  void geminiLastCumulativeUsageWins() {
    UsageAccumulator acc = new UsageAccumulator(WireFormat.GEMINI);
    acc.accept(
        data("{'candidates':[],'usageMetadata':{'promptTokenCount':10,'candidatesTokenCount':1}}"));
    acc.accept(
        data("{'candidates':[],'usageMetadata':{'promptTokenCount':10,'candidatesTokenCount':7}}"));
    assertThat(acc.usage()).contains(new Usage(10, 7, 0));
  }

  @Test
  void nonJsonDataIsIgnored() {
    UsageAccumulator acc = new UsageAccumulator(WireFormat.OPENAI);
    acc.accept(SseEvent.data("{not json"));
    acc.accept(SseEvent.data(""));
    assertThat(acc.usage()).isEmpty();
  }

  @Test
  void onlyEventsThatMayHoldAUsageObjectAreParsed() {
    assertThat(UsageAccumulator.mayCarryUsage("{\"choices\":[],\"usage\":null}", "\"usage\""))
        .isFalse();
    assertThat(UsageAccumulator.mayCarryUsage("{\"usage\" :\n null,\"x\":1}", "\"usage\""))
        .isFalse();
    assertThat(UsageAccumulator.mayCarryUsage("{\"delta\":{\"text\":\"usage\"}}", "\"usage\""))
        .isFalse();
    assertThat(UsageAccumulator.mayCarryUsage("{\"usage\":null,\"usage\":{}}", "\"usage\""))
        .isTrue();
    assertThat(UsageAccumulator.mayCarryUsage("{\"usage\": {\"prompt_tokens\":1}}", "\"usage\""))
        .isTrue();
    assertThat(UsageAccumulator.mayCarryUsage("{\"\\u0075sage\":{}}", "\"usage\"")).isTrue();
  }

  @Test
  void openAiUsageAfterChunksThatSayNullIsStillTaken() {
    UsageAccumulator acc = new UsageAccumulator(WireFormat.OPENAI);
    acc.accept(SseEvent.data("{\"choices\":[{\"delta\":{\"content\":\"usage\"}}],\"usage\":null}"));
    acc.accept(
        SseEvent.data("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5}}"));
    assertThat(acc.usage()).contains(new Usage(3, 5, 0));
  }
}
