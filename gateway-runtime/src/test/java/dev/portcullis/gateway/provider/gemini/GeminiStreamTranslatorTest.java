package dev.portcullis.gateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.completions.Completion;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gemini {@code streamGenerateContent?alt=sse} events as OpenAI chunk streams. */
class GeminiStreamTranslatorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  // Three events as Gemini sends them for "Why is the sky blue?" (usage in every event).
  private static final List<String> TEXT_STREAM =
      List.of(
          """
          {"candidates": [{"content": {"parts": [{"text": "The"}],"role": "model"},"index": 0}],\
          "usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8,\
          "promptTokensDetails": [{"modality": "TEXT","tokenCount": 8}]},\
          "modelVersion": "gemini-2.0-flash","responseId": "k2hJaN2PBvKXz7IPqL6n-Ak"}""",
          """
          {"candidates": [{"content": {"parts": [{"text": " sky is blue because"}],\
          "role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,\
          "totalTokenCount": 8},"modelVersion": "gemini-2.0-flash",\
          "responseId": "k2hJaN2PBvKXz7IPqL6n-Ak"}""",
          """
          {"candidates": [{"content": {"parts": [{"text": " of Rayleigh scattering.\\n"}],\
          "role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": \
          {"promptTokenCount": 8,"candidatesTokenCount": 12,"totalTokenCount": 20,\
          "promptTokensDetails": [{"modality": "TEXT","tokenCount": 8}],\
          "candidatesTokensDetails": [{"modality": "TEXT","tokenCount": 12}]},\
          "modelVersion": "gemini-2.0-flash","responseId": "k2hJaN2PBvKXz7IPqL6n-Ak"}""");

  private static final List<String> FUNCTION_CALL_STREAM =
      List.of(
          """
          {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather",\
          "args": {"city": "Paris"}},"thoughtSignature": "CiQB0e2Kb1x7Q0jy2b8="}],\
          "role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": \
          {"promptTokenCount": 52,"candidatesTokenCount": 15,"totalTokenCount": 67},\
          "modelVersion": "gemini-2.5-flash","responseId": "abc"}""");

  private static List<SseEvent> run(Operation operation, List<String> geminiEvents) {
    StreamTranslator stream = new OpenAiToGeminiTranslator().stream(operation, "gpt-4o");
    List<SseEvent> out = new ArrayList<>();
    for (String event : geminiEvents) {
      out.addAll(stream.onEvent(SseEvent.data(event)));
    }
    out.addAll(stream.finish());
    return out;
  }

  private static List<JsonNode> chunks(List<SseEvent> events) throws Exception {
    List<JsonNode> chunks = new ArrayList<>();
    for (SseEvent event : events.subList(0, events.size() - 1)) {
      chunks.add(MAPPER.readTree(event.data()));
    }
    return chunks;
  }

  @Test
  void everyEventIsAnOpenAiChunkTheSdkAcceptsEndingWithDone() throws Exception {
    List<SseEvent> events = run(Operation.CHAT, TEXT_STREAM);

    assertThat(events.getLast().data()).isEqualTo("[DONE]");
    for (SseEvent event : events.subList(0, events.size() - 1)) {
      assertThat(event.event()).isNull();
      ChatCompletionChunk chunk =
          ObjectMappers.jsonMapper().readValue(event.data(), ChatCompletionChunk.class).validate();
      assertThat(chunk.model()).isEqualTo("gpt-4o");
    }
  }

  @Test
  void firstChunkCarriesTheRoleThenTheTextArrivesPieceByPiece() throws Exception {
    List<JsonNode> chunks = chunks(run(Operation.CHAT, TEXT_STREAM));

    assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
    assertThat(text).hasToString("The sky is blue because of Rayleigh scattering.\n");
  }

  @Test
  void allChunksShareOneId() throws Exception {
    List<JsonNode> chunks = chunks(run(Operation.CHAT, TEXT_STREAM));

    assertThat(chunks.stream().map(c -> c.get("id").asText()).distinct()).hasSize(1);
  }

  @Test
  void finishReasonArrivesInADeltaFreeChunkAfterTheLastText() throws Exception {
    List<JsonNode> chunks = chunks(run(Operation.CHAT, TEXT_STREAM));

    JsonNode finish = chunks.get(chunks.size() - 2);
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(finish.at("/choices/0/delta").isEmpty()).isTrue();
  }

  @Test
  void lastChunkBeforeDoneCarriesTheFinalUsageAndNoChoices() throws Exception {
    List<JsonNode> chunks = chunks(run(Operation.CHAT, TEXT_STREAM));

    JsonNode usage = chunks.getLast();
    assertThat(usage.get("choices").isEmpty()).isTrue();
    assertThat(usage.at("/usage/prompt_tokens").asInt()).isEqualTo(8);
    assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(12);
    assertThat(usage.at("/usage/total_tokens").asInt()).isEqualTo(20);
  }

  @Test
  void streamedFunctionCallsBecomeWholeToolCallDeltasAndFinishWithToolCalls() throws Exception {
    List<JsonNode> chunks = chunks(run(Operation.CHAT, FUNCTION_CALL_STREAM));

    JsonNode call = chunks.get(1).at("/choices/0/delta/tool_calls/0");
    assertThat(call.get("index").asInt()).isZero();
    assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
    assertThat(MAPPER.readTree(call.at("/function/arguments").asText()))
        .isEqualTo(MAPPER.readTree("{\"city\":\"Paris\"}"));
    assertThat(GeminiToolCallIds.thoughtSignature(call.get("id").asText()))
        .hasValue("CiQB0e2Kb1x7Q0jy2b8=");
    assertThat(chunks.get(2).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void aStreamEndingWithoutFinishReasonIsStillClosed() throws Exception {
    List<JsonNode> chunks = chunks(run(Operation.CHAT, TEXT_STREAM.subList(0, 2)));

    assertThat(chunks.stream().filter(c -> c.at("/choices/0/finish_reason").isTextual()))
        .singleElement()
        .satisfies(c -> assertThat(c.at("/choices/0/finish_reason").asText()).isEqualTo("stop"));
  }

  @Test
  void anErrorEventBecomesAnOpenAiErrorEventAndEndsTheStream() throws Exception {
    List<SseEvent> events =
        run(
            Operation.CHAT,
            List.of(
                TEXT_STREAM.get(0),
                """
                {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}\
                """,
                TEXT_STREAM.get(1)));

    assertThat(events).extracting(SseEvent::data).noneMatch(d -> d.contains("sky"));
    JsonNode error = MAPPER.readTree(events.get(events.size() - 2).data());
    assertThat(error.at("/error/message").asText()).isEqualTo("The model is overloaded.");
    assertThat(events.getLast().data()).isEqualTo("[DONE]");
  }

  @Test
  void legacyCompletionStreamsAreTextCompletionChunks() throws Exception {
    List<SseEvent> events = run(Operation.COMPLETIONS, TEXT_STREAM);

    StringBuilder text = new StringBuilder();
    for (SseEvent event : events.subList(0, events.size() - 1)) {
      // Not validate(): the SDK's Completion model requires finish_reason, which OpenAI itself
      // leaves null in all but the last chunk of a stream.
      Completion chunk = ObjectMappers.jsonMapper().readValue(event.data(), Completion.class);
      assertThat(MAPPER.readTree(event.data()).get("object").asText()).isEqualTo("text_completion");
      chunk.choices().forEach(c -> text.append(c.text()));
    }
    assertThat(text).hasToString("The sky is blue because of Rayleigh scattering.\n");
  }
}
