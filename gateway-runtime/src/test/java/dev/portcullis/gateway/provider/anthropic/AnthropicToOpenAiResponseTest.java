package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.onTheWire;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicToOpenAiResponseTest {
  private final AnthropicToOpenAiTranslator translator = new AnthropicToOpenAiTranslator();

  private static final String TEXT_COMPLETION =
      "{'id':'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG','object':'chat.completion','created':1741570283,"
          + "'model':'gpt-4o-2024-08-06','choices':[{'index':0,'message':{'role':'assistant',"
          + "'content':'Hello! How can I assist you today?','refusal':null,'annotations':[]},"
          + "'logprobs':null,'finish_reason':'stop'}],'usage':{'prompt_tokens':1117,'completion_tokens':46,"
          + "'total_tokens':1163,'prompt_tokens_details':{'cached_tokens':1024,'audio_tokens':0},"
          + "'completion_tokens_details':{'reasoning_tokens':0,'audio_tokens':0,"
          + "'accepted_prediction_tokens':0,'rejected_prediction_tokens':0}},"
          + "'service_tier':'default','system_fingerprint':'fp_fc9f1d7035'}";

  private static final String TOOL_COMPLETION =
      "{'id':'chatcmpl-abc123','object':'chat.completion','created':1699896916,'model':'gpt-4o-mini',"
          + "'choices':[{'index':0,'message':{'role':'assistant','content':null,'tool_calls':["
          + "{'id':'call_abc123','type':'function','function':{'name':'get_current_weather',"
          + "'arguments':'{\\n\\'location\\': \\'Boston, MA\\'\\n}'}}]},'logprobs':null,'finish_reason':'tool_calls'}],"
          + "'usage':{'prompt_tokens':82,'completion_tokens':17,'total_tokens':99}}";

  private ObjectNode translate(String singleQuotedJson) {
    return translator.response(
        Operation.CHAT, json(singleQuotedJson.replace("\\'", "\\\"")), "claude-sonnet-4-5");
  }

  @Test
  void textCompletionBecomesAMessage() {
    assertThat(onTheWire(translate(TEXT_COMPLETION)))
        .isEqualTo(
            json(
                "{'id':'msg_B9MHDbslfkBeAs8l4bebGdFOJ6PeG','type':'message','role':'assistant',"
                    + "'model':'claude-sonnet-4-5','content':[{'type':'text',"
                    + "'text':'Hello! How can I assist you today?'}],'stop_reason':'end_turn',"
                    + "'stop_sequence':null,'usage':{'input_tokens':93,'cache_creation_input_tokens':0,"
                    + "'cache_read_input_tokens':1024,'output_tokens':46}}"));
  }

  @Test
  void toolCallsBecomeToolUseBlocksWithParsedInput() {
    ObjectNode out = translate(TOOL_COMPLETION);
    assertThat(out.get("content"))
        .isEqualTo(
            json("{'c':[{'type':'tool_use','id':'call_abc123','name':'get_current_weather',"
                    + "'input':{'location':'Boston, MA'}}]}")
                .get("c"));
    assertThat(out.get("stop_reason").asText()).isEqualTo("tool_use");
  }

  @Test
  void malformedToolArgumentsBecomeAnEmptyInput() {
    ObjectNode out =
        translate(
            "{'id':'chatcmpl-1','choices':[{'index':0,'message':{'role':'assistant','content':null,"
                + "'tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'{broken'}}]},"
                + "'finish_reason':'tool_calls'}]}");
    assertThat(out.get("content").get(0).get("input")).isEqualTo(json("{}"));
  }

  @Test
  void refusalBecomesText() {
    ObjectNode out =
        translate(
            "{'id':'chatcmpl-1','choices':[{'index':0,'message':{'role':'assistant','content':null,"
                + "'refusal':'I cannot help with that.'},'finish_reason':'stop'}]}");
    assertThat(out.get("content").get(0).get("text").asText())
        .isEqualTo("I cannot help with that.");
  }

  @ParameterizedTest
  @CsvSource({
    "stop, end_turn",
    "length, max_tokens",
    "tool_calls, tool_use",
    "function_call, tool_use",
    "content_filter, refusal"
  })
  void finishReasonMapsToStopReason(String finishReason, String stopReason) {
    ObjectNode in = json(TEXT_COMPLETION);
    ((ObjectNode) in.get("choices").get(0)).put("finish_reason", finishReason);
    assertThat(translator.response(Operation.CHAT, in, "c").get("stop_reason").asText())
        .isEqualTo(stopReason);
  }

  @Test
  void missingUsageCountsAsZero() {
    ObjectNode out =
        translate(
            "{'id':'chatcmpl-1','choices':[{'index':0,'message':{'role':'assistant','content':'x'},"
                + "'finish_reason':'stop'}]}");
    assertThat(onTheWire(out.get("usage")))
        .isEqualTo(
            json(
                "{'input_tokens':0,'cache_creation_input_tokens':0,'cache_read_input_tokens':0,"
                    + "'output_tokens':0}"));
  }

  @Test
  void theOfficialAnthropicSdkAcceptsTheTranslatedResponse() throws Exception {
    ObjectNode out = translate(TOOL_COMPLETION);
    Message message =
        ObjectMappers.jsonMapper().readValue(out.toString(), Message.class).validate();
    assertThat(message.model().asString()).isEqualTo("claude-sonnet-4-5");
    assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(message.content().get(0).asToolUse().name()).isEqualTo("get_current_weather");
    assertThat(message.usage().inputTokens()).isEqualTo(82);
  }
}
