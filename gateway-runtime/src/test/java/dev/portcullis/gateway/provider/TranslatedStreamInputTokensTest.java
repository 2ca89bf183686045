package dev.portcullis.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Anthropic clients of a translated stream read the input count from {@code message_start}
 * (LangChain reads it only there): it is counted locally from the request, and {@code
 * message_delta} carries the upstream's count.
 */
class TranslatedStreamInputTokensTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TranslatorRegistry REGISTRY = TranslatorRegistry.builtIn();

  private static ObjectNode request() throws Exception {
    return request("You are a careful assistant who answers in one sentence.");
  }

  private static ObjectNode request(String system) throws Exception {
    ObjectNode request =
        (ObjectNode)
            JSON.readTree(
                """
                {"model":"claude-sonnet-4-5","max_tokens":100,"stream":true,
                 "messages":[{"role":"user","content":"What is the capital of France, and why?"}]}
                """);
    request.put("system", system);
    return request;
  }

  private static int messageStartInputTokens(WireFormat upstream, ObjectNode request)
      throws Exception {
    Translator translator = REGISTRY.lookup(WireFormat.ANTHROPIC, upstream).orElseThrow();
    List<SseEvent> out =
        run(
            translator.stream(Operation.CHAT, "claude-sonnet-4-5", request),
            List.of(SseEvent.data("[DONE]")));
    return event(out, "message_start").at("/message/usage/input_tokens").asInt();
  }

  private static List<SseEvent> run(StreamTranslator stream, List<SseEvent> upstream) {
    List<SseEvent> out = new ArrayList<>();
    upstream.forEach(e -> out.addAll(stream.onEvent(e)));
    out.addAll(stream.finish());
    return out;
  }

  private static JsonNode event(List<SseEvent> events, String name) throws Exception {
    return JSON.readTree(
        events.stream().filter(e -> name.equals(e.event())).findFirst().orElseThrow().data());
  }

  @Test
  void anOpenAiUpstreamsStreamStartsWithTheLocalCountAndEndsWithTheUpstreams() throws Exception {
    Translator translator = REGISTRY.lookup(WireFormat.ANTHROPIC, WireFormat.OPENAI).orElseThrow();
    List<SseEvent> out =
        run(
            translator.stream(Operation.CHAT, "claude-sonnet-4-5", request()),
            List.of(
                SseEvent.data(
                    "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Paris.\"},"
                        + "\"finish_reason\":\"stop\"}]}"),
                SseEvent.data(
                    "{\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,"
                        + "\"completion_tokens\":2,\"total_tokens\":33}}"),
                SseEvent.data("[DONE]")));
    // o200k counts the system prompt, the question and the message framing: about 25 tokens.
    assertThat(event(out, "message_start").at("/message/usage/input_tokens").asInt())
        .isBetween(15, 40);
    assertThat(event(out, "message_delta").at("/usage/input_tokens").asInt()).isEqualTo(31);
  }

  @Test
  void aGeminiUpstreamsStreamStartsWithTheSameLocalCount() throws Exception {
    ObjectNode request = request();
    int local = messageStartInputTokens(WireFormat.OPENAI, request);
    Translator translator = REGISTRY.lookup(WireFormat.ANTHROPIC, WireFormat.GEMINI).orElseThrow();
    List<SseEvent> out =
        run(
            translator.stream(Operation.CHAT, "claude-sonnet-4-5", request),
            List.of(
                SseEvent.data(
                    "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Paris.\"}]},"
                        + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":"
                        + "{\"promptTokenCount\":27,\"candidatesTokenCount\":2,\"totalTokenCount\":29}}")));
    assertThat(event(out, "message_start").at("/message/usage/input_tokens").asInt())
        .isEqualTo(local)
        .isPositive();
    assertThat(event(out, "message_delta").at("/usage/input_tokens").asInt()).isEqualTo(27);
    assertThat(out.getLast().event()).isEqualTo("message_stop");
  }

  @Test
  void theCountGrowsWithTheRequest() throws Exception {
    int short_ = messageStartInputTokens(WireFormat.OPENAI, request("Be brief."));
    int long_ =
        messageStartInputTokens(
            WireFormat.OPENAI, request("Be brief. ".repeat(50) + "Answer in French."));
    assertThat(short_).isPositive();
    assertThat(long_).isGreaterThan(short_ + 90);
  }

  @Test
  void withoutTheRequestMessageStartReportsZero() throws Exception {
    Translator translator = REGISTRY.lookup(WireFormat.ANTHROPIC, WireFormat.OPENAI).orElseThrow();
    List<SseEvent> out =
        run(translator.stream(Operation.CHAT, "m"), List.of(SseEvent.data("[DONE]")));
    assertThat(event(out, "message_start").at("/message/usage/input_tokens").asInt()).isZero();
  }
}
