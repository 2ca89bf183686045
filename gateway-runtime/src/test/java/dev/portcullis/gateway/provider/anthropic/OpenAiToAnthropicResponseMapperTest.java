package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicResponseMapperTest {
  private final OpenAiToAnthropicResponseMapper mapper =
      new OpenAiToAnthropicResponseMapper(
          Clock.fixed(Instant.ofEpochSecond(1700000000), ZoneOffset.UTC));

  @Test
  void aToolUseAnswerBecomesToolCallsWithTheCacheCountedIntoPromptTokens() {
    ObjectNode out =
        mapper.map(
            json(
                "{'id':'msg_1','type':'message','role':'assistant','model':'claude',"
                    + "'content':[{'type':'tool_use','id':'toolu_1','name':'now','input':{}}],"
                    + "'stop_reason':'tool_use','usage':{'input_tokens':3,"
                    + "'cache_read_input_tokens':10,'cache_creation_input_tokens':2,'output_tokens':4}}"),
            "gpt-4o");
    assertThat(out.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(out.at("/choices/0/message/content").isNull()).isTrue();
    assertThat(out.at("/choices/0/message/tool_calls/0/function/arguments").asText())
        .isEqualTo("{}");
    assertThat(out.at("/usage/prompt_tokens").asLong()).isEqualTo(15);
    assertThat(out.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(10);
    assertThat(out.get("created").asLong()).isEqualTo(1700000000);
    assertThat(out.get("model").asText()).isEqualTo("gpt-4o");
  }

  @Test
  void aPauseTurnEndsAsAStop() {
    ObjectNode out =
        mapper.map(
            json("{'content':[{'type':'text','text':'a'}],'stop_reason':'pause_turn'}"), "m");
    assertThat(out.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }
}
