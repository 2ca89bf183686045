package dev.portcullis.gateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request, response and stream mappers of the OpenAI → Gemini pair, each on its own. */
class OpenAiToGeminiMappersTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void requestMapperCollectsMidConversationSystemMessagesIntoTheSystemInstruction() {
    ObjectNode gemini =
        OpenAiToGeminiRequestMapper.map(
            Operation.CHAT,
            json(
                """
                {"model":"m","messages":[{"role":"developer","content":"first"},
                  {"role":"user","content":"a"},{"role":"assistant","content":"b"},
                  {"role":"system","content":"second"},{"role":"user","content":"c"}]}
                """));
    assertThat(gemini.get("systemInstruction"))
        .isEqualTo(json("{\"parts\":[{\"text\":\"first\"},{\"text\":\"second\"}]}"));
    assertThat(gemini.get("contents")).hasSize(3);
    assertThat(gemini.at("/contents/1/role").asText()).isEqualTo("model");
  }

  @Test
  void requestMapperTakesToolChoiceModesFromTheVocabulary() {
    ObjectNode gemini =
        OpenAiToGeminiRequestMapper.map(
            Operation.CHAT,
            json(
                """
                {"model":"m","messages":[{"role":"user","content":"a"}],"tool_choice":"required",
                 "tools":[{"type":"function","function":{"name":"now"}}]}
                """));
    assertThat(gemini.at("/toolConfig/functionCallingConfig/mode").asText()).isEqualTo("ANY");
  }

  @Test
  void responseMapperLeavesThoughtsOutAndReportsReasoningTokens() {
    ObjectNode openAi =
        OpenAiToGeminiResponseMapper.map(
            Operation.CHAT,
            json(
                """
                {"candidates":[{"content":{"role":"model","parts":[
                  {"text":"thinking...","thought":true},{"text":"Answer."}]},
                  "finishReason":"MAX_TOKENS","index":0}],
                 "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,
                  "thoughtsTokenCount":7,"totalTokenCount":14}}
                """),
            "gpt-4o");
    assertThat(openAi.at("/choices/0/message/content").asText()).isEqualTo("Answer.");
    assertThat(openAi.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(openAi.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(7);
  }

  @Test
  void streamMapperTurnsAGeminiErrorEventIntoAnOpenAiErrorAndStops() throws Exception {
    OpenAiToGeminiStreamMapper stream = new OpenAiToGeminiStreamMapper(Operation.CHAT, "gpt-4o");
    List<SseEvent> out =
        new ArrayList<>(
            stream.onEvent(
                SseEvent.data(
                    "{\"error\":{\"code\":503,\"message\":\"busy\",\"status\":\"UNAVAILABLE\"}}")));
    out.addAll(stream.onEvent(SseEvent.data("{\"candidates\":[]}")));
    assertThat(out).hasSize(1);
    JsonNode error = MAPPER.readTree(out.get(0).data());
    assertThat(error.at("/error/type").asText()).isEqualTo("server_error");
    assertThat(error.at("/error/code").asText()).isEqualTo("unavailable");
  }
}
