package dev.portcullis.gateway.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.sse.SseEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One Gemini {@code streamGenerateContent?alt=sse} stream as OpenAI chunks. Every Gemini event is a
 * partial {@code GenerateContentResponse}: text arrives in pieces, function calls arrive whole, and
 * the last event carries {@code finishReason} and the final {@code usageMetadata}.
 *
 * <p>The usage chunk ({@code choices: []}) is always sent before {@code [DONE]}: this translator
 * cannot see whether the client asked for {@code stream_options.include_usage}, and the gateway
 * needs the usage for accounting (and the Anthropic composition for {@code message_delta}). The
 * pipeline drops that chunk for OpenAI clients that did not ask for it, as it does for OpenAI
 * upstreams where it forces {@code include_usage} itself.
 */
final class OpenAiToGeminiStreamMapper implements StreamTranslator {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = Jackson.MAPPER;

  private final boolean chat;
  private final String model;
  private final String id;
  private final long created = Instant.now().getEpochSecond();
  private final Map<Integer, CandidateState> candidates = new TreeMap<>();
  private ObjectNode usage;
  private boolean finished;

  /** What has been sent for one candidate (OpenAI choice). */
  private static final class CandidateState {
    int toolCalls;
    boolean finishSent;
  }

  OpenAiToGeminiStreamMapper(Operation operation, String clientModel) {
    this.chat = operation == Operation.CHAT;
    this.model = clientModel;
    this.id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID();
  }

  @Override
  public List<SseEvent> onEvent(SseEvent upstreamEvent) {
    List<SseEvent> out = new ArrayList<>();
    String data = upstreamEvent.data();
    if (finished || data == null || data.isBlank()) {
      return out;
    }
    JsonNode event;
    try {
      event = MAPPER.readTree(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Gemini sent a stream event that is not JSON", e);
    }
    if (event.has("error")) {
      out.add(SseEvent.data(OpenAiToGeminiErrorMapper.streamEvent(event.get("error")).toString()));
      finished = true;
      return out;
    }
    if (event.has("usageMetadata")) {
      usage = OpenAiGeminiVocabulary.usage(event.get("usageMetadata"));
    }
    JsonNode candidateList = event.path("candidates");
    if (candidateList.isEmpty() && event.path("promptFeedback").has("blockReason")) {
      CandidateState state = start(0, out);
      out.add(finishChunk(0, "content_filter"));
      state.finishSent = true;
      return out;
    }
    for (JsonNode candidate : candidateList) {
      int index = candidate.path("index").asInt(0);
      CandidateState state = start(index, out);
      for (JsonNode part : candidate.path("content").path("parts")) {
        if (OpenAiGeminiContent.isThought(part)) {
          continue;
        }
        if (part.has("text") && !part.get("text").asText().isEmpty()) {
          out.add(textChunk(index, part.get("text").asText()));
        } else if (chat && part.has("functionCall")) {
          out.add(toolCallChunk(index, state.toolCalls++, OpenAiGeminiContent.toolCall(part)));
        }
      }
      String reason = candidate.path("finishReason").asText(null);
      if (reason != null && !reason.isEmpty() && !state.finishSent) {
        out.add(
            finishChunk(index, OpenAiGeminiVocabulary.finishReason(reason, state.toolCalls > 0)));
        state.finishSent = true;
      }
    }
    return out;
  }

  @Override
  public List<SseEvent> finish() {
    List<SseEvent> out = new ArrayList<>();
    if (!finished) {
      // An upstream that ended cleanly without a finishReason still gets a closed choice.
      candidates.forEach(
          (index, state) -> {
            if (!state.finishSent) {
              out.add(finishChunk(index, state.toolCalls > 0 ? "tool_calls" : "stop"));
              state.finishSent = true;
            }
          });
      if (usage != null) {
        ObjectNode chunk = chunk();
        chunk.set("usage", usage);
        out.add(SseEvent.data(chunk.toString()));
      }
      finished = true;
    }
    out.add(SseEvent.data("[DONE]"));
    return out;
  }

  /** Opens a choice: chat clients expect a first delta that carries only the role. */
  private CandidateState start(int index, List<SseEvent> out) {
    CandidateState state = candidates.get(index);
    if (state == null) {
      state = new CandidateState();
      candidates.put(index, state);
      if (chat) {
        ObjectNode delta = JSON.objectNode();
        delta.put("role", "assistant");
        delta.put("content", "");
        out.add(choiceChunk(index, delta, null));
      }
    }
    return state;
  }

  private SseEvent textChunk(int index, String text) {
    if (!chat) {
      return choiceChunk(index, text, null);
    }
    return choiceChunk(index, JSON.objectNode().put("content", text), null);
  }

  private SseEvent toolCallChunk(int index, int toolCallIndex, ObjectNode toolCall) {
    ObjectNode call = JSON.objectNode();
    call.put("index", toolCallIndex);
    call.setAll(toolCall);
    ObjectNode delta = JSON.objectNode();
    delta.putArray("tool_calls").add(call);
    return choiceChunk(index, delta, null);
  }

  private SseEvent finishChunk(int index, String finishReason) {
    return chat
        ? choiceChunk(index, JSON.objectNode(), finishReason)
        : choiceChunk(index, "", finishReason);
  }

  private SseEvent choiceChunk(int index, Object deltaOrText, String finishReason) {
    ObjectNode chunk = chunk();
    ArrayNode choices = chunk.putArray("choices");
    ObjectNode choice = choices.addObject();
    if (chat) {
      choice.put("index", index);
      choice.set("delta", (ObjectNode) deltaOrText);
    } else {
      choice.put("text", (String) deltaOrText);
      choice.put("index", index);
    }
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return SseEvent.data(chunk.toString());
  }

  private ObjectNode chunk() {
    ObjectNode chunk = JSON.objectNode();
    chunk.put("id", id);
    chunk.put("object", chat ? "chat.completion.chunk" : "text_completion");
    chunk.put("created", created);
    chunk.put("model", model);
    chunk.putArray("choices");
    return chunk;
  }
}
