package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.anthropic;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.parse;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.sse.SseEvent;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicStreamMapperTest {
  private static final List<SseEvent> REFUSAL =
      List.of(
          anthropic(
              "{'type':'message_start','message':{'id':'msg_1','usage':{'input_tokens':9,'output_tokens':1}}}"),
          anthropic(
              "{'type':'content_block_start','index':0,'content_block':{'type':'text','text':''}}"),
          anthropic(
              "{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'No.'}}"),
          anthropic(
              "{'type':'message_delta','delta':{'stop_reason':'refusal'},'usage':{'output_tokens':2}}"),
          anthropic("{'type':'message_stop'}"));

  @Test
  void aRefusalFinishesWithContentFilter() {
    List<SseEvent> out =
        run(new OpenAiToAnthropicStreamMapper("gpt-4o", false, Clock.systemUTC()), REFUSAL);
    assertThat(parse(out.get(out.size() - 2).data()).at("/choices/0/finish_reason").asText())
        .isEqualTo("content_filter");
    assertThat(out.getLast().data()).isEqualTo("[DONE]");
  }

  @Test
  void theUsageChunkAddsStartAndDeltaCounts() {
    List<SseEvent> out =
        run(new OpenAiToAnthropicStreamMapper("gpt-4o", true, Clock.systemUTC()), REFUSAL);
    var usage = parse(out.get(out.size() - 2).data()).get("usage");
    assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(9);
    assertThat(usage.get("completion_tokens").asLong()).isEqualTo(2);
  }
}
