package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.events;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.openAi;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.parse;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicToOpenAiStreamMapperTest {

  private static JsonNode named(List<SseEvent> events, String name) {
    return parse(
        events.stream().filter(e -> name.equals(e.event())).findFirst().orElseThrow().data());
  }

  @Test
  void messageStartCarriesTheLocallyCountedInputTokens() {
    List<SseEvent> out =
        run(new AnthropicToOpenAiStreamMapper("claude", () -> 42), events("openai-text.sse"));
    assertThat(named(out, "message_start").at("/message/usage"))
        .isEqualTo(json("{'input_tokens':42,'output_tokens':0}"));
  }

  @Test
  void messageDeltaCorrectsTheEstimateWithTheUpstreamsCount() {
    List<SseEvent> out =
        run(new AnthropicToOpenAiStreamMapper("claude", () -> 42), events("openai-text.sse"));
    assertThat(named(out, "message_delta").at("/usage/input_tokens").asLong()).isEqualTo(19);
  }

  @Test
  void theEstimateStandsWhenTheUpstreamReportsNoUsage() {
    List<SseEvent> out =
        run(
            new AnthropicToOpenAiStreamMapper("claude", () -> 42),
            List.of(
                openAi(
                    "{'id':'chatcmpl-1','choices':[{'index':0,'delta':{'content':'hi'},"
                        + "'finish_reason':'stop'}]}"),
                SseEvent.data("[DONE]")));
    assertThat(named(out, "message_delta").get("usage"))
        .isEqualTo(
            json(
                "{'input_tokens':42,'cache_creation_input_tokens':0,"
                    + "'cache_read_input_tokens':0,'output_tokens':0}"));
  }

  @Test
  void aLengthFinishBecomesMaxTokens() {
    List<SseEvent> out =
        run(
            new AnthropicToOpenAiStreamMapper("claude", () -> 0),
            List.of(
                openAi(
                    "{'id':'chatcmpl-1','choices':[{'index':0,'delta':{'content':'hi'},"
                        + "'finish_reason':'length'}]}"),
                SseEvent.data("[DONE]")));
    assertThat(named(out, "message_delta").at("/delta/stop_reason").asText())
        .isEqualTo("max_tokens");
  }
}
