package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.onTheWire;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import dev.portcullis.gateway.provider.Operation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiToAnthropicResponseTest {
  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
  private final OpenAiToAnthropicTranslator translator =
      new OpenAiToAnthropicTranslator(4096, Clock.fixed(NOW, ZoneOffset.UTC));

  private static final String TEXT_MESSAGE =
      "{'id':'msg_01XFDUDYJgAACzvnptvVoYEL','type':'message','role':'assistant',"
          + "'model':'claude-sonnet-4-5-20250929','content':[{'type':'text','text':'Hi! How can I help?'}],"
          + "'stop_reason':'end_turn','stop_sequence':null,"
          + "'usage':{'input_tokens':12,'cache_creation_input_tokens':0,'cache_read_input_tokens':0,'output_tokens':8}}";

  private static final String TOOL_MESSAGE =
      "{'id':'msg_01Aq9w938a90dw8q','type':'message','role':'assistant',"
          + "'model':'claude-sonnet-4-5-20250929','content':["
          + "{'type':'text','text':'I will check both.'},"
          + "{'type':'tool_use','id':'toolu_01A09q90qw90lq917835lq9','name':'get_weather','input':{'location':'San Francisco, CA','unit':'celsius'}},"
          + "{'type':'tool_use','id':'toolu_01B','name':'get_time','input':{}}],"
          + "'stop_reason':'tool_use','stop_sequence':null,'usage':{'input_tokens':320,'output_tokens':95}}";

  @Test
  void textMessageBecomesAChatCompletion() {
    ObjectNode out = translator.response(Operation.CHAT, json(TEXT_MESSAGE), "gpt-4o");
    assertThat(onTheWire(out))
        .isEqualTo(
            json(
                "{'id':'msg_01XFDUDYJgAACzvnptvVoYEL','object':'chat.completion','created':1735787045,"
                    + "'model':'gpt-4o','choices':[{'index':0,'message':{'role':'assistant',"
                    + "'content':'Hi! How can I help?','refusal':null},'logprobs':null,'finish_reason':'stop'}],"
                    + "'usage':{'prompt_tokens':12,'completion_tokens':8,'total_tokens':20,"
                    + "'prompt_tokens_details':{'cached_tokens':0}}}"));
  }

  @Test
  void toolUseBlocksBecomeToolCallsWithArgumentsAsJsonStrings() {
    ObjectNode out = translator.response(Operation.CHAT, json(TOOL_MESSAGE), "gpt-4o");
    var message = out.get("choices").get(0).get("message");
    assertThat(message.get("content").asText()).isEqualTo("I will check both.");
    assertThat(message.get("tool_calls"))
        .isEqualTo(
            json("{'c':[{'id':'toolu_01A09q90qw90lq917835lq9','type':'function','function':{'name':'get_weather',"
                    + "'arguments':'{\\'location\\':\\'San Francisco, CA\\',\\'unit\\':\\'celsius\\'}'}},"
                    + "{'id':'toolu_01B','type':'function','function':{'name':'get_time','arguments':'{}'}}]}"
                        .replace("\\'", "\\\""))
                .get("c"));
    assertThat(out.get("choices").get(0).get("finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void onlyToolCallsLeavesContentNull() {
    ObjectNode out =
        translator.response(
            Operation.CHAT,
            json(
                "{'id':'msg_1','type':'message','role':'assistant','model':'c','content':["
                    + "{'type':'tool_use','id':'toolu_1','name':'now','input':{}}],"
                    + "'stop_reason':'tool_use','usage':{'input_tokens':1,'output_tokens':1}}"),
            "gpt-4o");
    assertThat(out.get("choices").get(0).get("message").get("content").isNull()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "end_turn, stop",
    "stop_sequence, stop",
    "max_tokens, length",
    "tool_use, tool_calls",
    "pause_turn, stop",
    "refusal, content_filter"
  })
  void stopReasonMapsToFinishReason(String stopReason, String finishReason) {
    ObjectNode in = json(TEXT_MESSAGE);
    in.put("stop_reason", stopReason);
    ObjectNode out = translator.response(Operation.CHAT, in, "gpt-4o");
    assertThat(out.get("choices").get(0).get("finish_reason").asText()).isEqualTo(finishReason);
  }

  @Test
  void promptTokensIncludeCacheReadsAndWritesAndCachedTokensAreReported() {
    ObjectNode in = json(TEXT_MESSAGE);
    in.set(
        "usage",
        json(
            "{'input_tokens':10,'cache_creation_input_tokens':200,'cache_read_input_tokens':1000,"
                + "'output_tokens':50}"));
    ObjectNode out = translator.response(Operation.CHAT, in, "gpt-4o");
    assertThat(onTheWire(out).get("usage"))
        .isEqualTo(
            json(
                "{'prompt_tokens':1210,'completion_tokens':50,'total_tokens':1260,"
                    + "'prompt_tokens_details':{'cached_tokens':1000}}"));
  }

  @Test
  void thinkingBlocksAreDroppedAndTextBlocksConcatenated() {
    ObjectNode out =
        translator.response(
            Operation.CHAT,
            json(
                "{'id':'msg_1','type':'message','role':'assistant','model':'c','content':["
                    + "{'type':'thinking','thinking':'Let me think','signature':'EqQB'},"
                    + "{'type':'text','text':'The answer '},{'type':'text','text':'is 4.'}],"
                    + "'stop_reason':'end_turn','usage':{'input_tokens':1,'output_tokens':1}}"),
            "gpt-4o");
    assertThat(out.get("choices").get(0).get("message").get("content").asText())
        .isEqualTo("The answer is 4.");
  }

  @Test
  void theOfficialOpenAiSdkAcceptsTheTranslatedResponse() throws Exception {
    ObjectNode out = translator.response(Operation.CHAT, json(TOOL_MESSAGE), "gpt-4o");
    ChatCompletion completion =
        ObjectMappers.jsonMapper().readValue(out.toString(), ChatCompletion.class).validate();
    assertThat(completion.model()).isEqualTo("gpt-4o");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(completion.choices().get(0).message().toolCalls().orElseThrow()).hasSize(2);
    assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(415);
  }
}
