package dev.portcullis.gateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic → Gemini chain with a minimal stand-in for the Anthropic ↔ OpenAI translator (the
 * real one lives in the anthropic package and is wired in the registry).
 */
class AnthropicToGeminiTranslatorTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Handles text-only messages, which is all these tests send. */
  private static final class TextOnlyAnthropicToOpenAi implements Translator {
    @Override
    public WireFormat client() {
      return WireFormat.ANTHROPIC;
    }

    @Override
    public WireFormat upstream() {
      return WireFormat.OPENAI;
    }

    @Override
    public ObjectNode request(Operation operation, ObjectNode anthropic) {
      ObjectNode openAi = JSON.objectNode();
      openAi.put("model", anthropic.path("model").asText());
      openAi
          .putArray("messages")
          .addObject()
          .put("role", "system")
          .put("content", anthropic.path("system").asText());
      anthropic.path("messages").forEach(m -> openAi.withArray("messages").add(m.deepCopy()));
      openAi.put("max_tokens", anthropic.path("max_tokens").asInt());
      return openAi;
    }

    @Override
    public ObjectNode response(Operation operation, ObjectNode openAi, String clientModel) {
      ObjectNode anthropic = JSON.objectNode();
      anthropic.put("type", "message");
      anthropic.put("model", clientModel);
      anthropic
          .putArray("content")
          .addObject()
          .put("type", "text")
          .put("text", openAi.at("/choices/0/message/content").asText());
      anthropic.put("stop_reason", openAi.at("/choices/0/finish_reason").asText());
      return anthropic;
    }

    @Override
    public StreamTranslator stream(Operation operation, String clientModel) {
      return new StreamTranslator() {
        @Override
        public List<SseEvent> onEvent(SseEvent openAiEvent) {
          if ("[DONE]".equals(openAiEvent.data())) {
            return List.of(SseEvent.named("message_stop", "{\"type\":\"message_stop\"}"));
          }
          return List.of(SseEvent.named("openai_chunk", openAiEvent.data()));
        }

        @Override
        public List<SseEvent> finish() {
          return List.of();
        }
      };
    }

    @Override
    public ObjectNode error(int status, ObjectNode openAiError) {
      ObjectNode anthropic = JSON.objectNode().put("type", "error");
      anthropic
          .putObject("error")
          .put("type", "api_error")
          .put("message", openAiError.at("/error/message").asText());
      return anthropic;
    }
  }

  private final AnthropicToGeminiTranslator translator =
      new AnthropicToGeminiTranslator(new TextOnlyAnthropicToOpenAi());

  @Test
  void speaksAnthropicToClientsAndGeminiUpstream() {
    assertThat(translator.client()).isEqualTo(WireFormat.ANTHROPIC);
    assertThat(translator.upstream()).isEqualTo(WireFormat.GEMINI);
  }

  @Test
  void anthropicRequestsArriveAsGeminiRequests() throws Exception {
    ObjectNode gemini =
        translator.request(
            Operation.CHAT,
            (ObjectNode)
                MAPPER.readTree(
                    """
                    {"model":"claude-sonnet-4","system":"Be brief.","max_tokens":64,
                     "messages":[{"role":"user","content":"Hi"}]}
                    """));

    assertThat(gemini.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Be brief.");
    assertThat(gemini.at("/contents/0/parts/0/text").asText()).isEqualTo("Hi");
    assertThat(gemini.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(64);
  }

  @Test
  void geminiAnswersArriveInTheClientsFormat() throws Exception {
    ObjectNode anthropic =
        translator.response(
            Operation.CHAT,
            (ObjectNode)
                MAPPER.readTree(
                    """
                    {"candidates":[{"content":{"parts":[{"text":"Hello"}],"role":"model"},
                      "finishReason":"MAX_TOKENS","index":0}]}
                    """),
            "claude-sonnet-4");

    assertThat(anthropic.at("/content/0/text").asText()).isEqualTo("Hello");
    assertThat(anthropic.get("stop_reason").asText()).isEqualTo("length");
    assertThat(anthropic.get("model").asText()).isEqualTo("claude-sonnet-4");
  }

  @Test
  void geminiStreamsEndWithTheClientsStopEvent() {
    StreamTranslator stream = translator.stream(Operation.CHAT, "claude-sonnet-4");
    List<SseEvent> events =
        stream.onEvent(
            SseEvent.data(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},"
                    + "\"finishReason\":\"STOP\",\"index\":0}]}"));
    List<SseEvent> end = stream.finish();

    assertThat(events).isNotEmpty().allMatch(e -> "openai_chunk".equals(e.event()));
    assertThat(end.getLast().event()).isEqualTo("message_stop");
  }

  @Test
  void geminiErrorsArriveInTheClientsErrorFormatWithTheUpstreamMessage() throws Exception {
    ObjectNode anthropic =
        translator.error(
            404,
            (ObjectNode)
                MAPPER.readTree(
                    """
                    {"error":{"code":404,"message":"models/gemini-9 is not found",
                      "status":"NOT_FOUND"}}
                    """));

    assertThat(anthropic.at("/error/message").asText()).isEqualTo("models/gemini-9 is not found");
  }

  @Test
  void refusesATranslatorThatIsNotAnthropicToOpenAi() {
    assertThatThrownBy(() -> new AnthropicToGeminiTranslator(new OpenAiToGeminiTranslator()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
