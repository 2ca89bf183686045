package dev.portcullis.gateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import java.time.Instant;
import java.util.UUID;

/**
 * Gemini answers as OpenAI answers: {@code GenerateContentResponse} as a {@code chat.completion} or
 * a {@code text_completion}, embeddings as an OpenAI embeddings list. Thought parts are left out; a
 * prompt Gemini blocked outright (no candidates) becomes one {@code content_filter} choice.
 */
final class OpenAiToGeminiResponseMapper {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private OpenAiToGeminiResponseMapper() {}

  static ObjectNode map(Operation operation, ObjectNode upstreamResponse, String clientModel) {
    return switch (operation) {
      case CHAT -> chatResponse(upstreamResponse, clientModel);
      case COMPLETIONS -> completionsResponse(upstreamResponse, clientModel);
      case EMBEDDINGS -> embeddingsResponse(upstreamResponse, clientModel);
      case COUNT_TOKENS ->
          throw new IllegalArgumentException("Gemini targets do not serve token counting");
    };
  }

  private static ObjectNode embeddingsResponse(ObjectNode response, String clientModel) {
    ObjectNode out = JSON.objectNode();
    out.put("object", "list");
    ArrayNode data = out.putArray("data");
    if (response.has("embedding")) {
      addEmbedding(data, response.get("embedding"));
    } else {
      response.path("embeddings").forEach(e -> addEmbedding(data, e));
    }
    out.put("model", clientModel);
    // Gemini's embedding endpoints do not report token counts.
    out.putObject("usage").put("prompt_tokens", 0).put("total_tokens", 0);
    return out;
  }

  private static void addEmbedding(ArrayNode data, JsonNode embedding) {
    ObjectNode item = data.addObject();
    item.put("object", "embedding");
    item.put("index", data.size() - 1);
    item.set("embedding", embedding.path("values").deepCopy());
  }

  private static ObjectNode chatResponse(ObjectNode response, String clientModel) {
    ObjectNode out = envelope(response, "chatcmpl-", "chat.completion", clientModel);
    ArrayNode choices = out.putArray("choices");
    for (JsonNode candidate : response.path("candidates")) {
      ObjectNode choice = choices.addObject();
      choice.put("index", candidate.path("index").asInt(choices.size() - 1));
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      StringBuilder text = new StringBuilder();
      ArrayNode toolCalls = JSON.arrayNode();
      for (JsonNode part : candidate.path("content").path("parts")) {
        if (OpenAiGeminiContent.isThought(part)) {
          continue;
        }
        if (part.has("text")) {
          text.append(part.get("text").asText());
        } else if (part.has("functionCall")) {
          toolCalls.add(OpenAiGeminiContent.toolCall(part));
        }
      }
      if (text.isEmpty() && !toolCalls.isEmpty()) {
        message.putNull("content");
      } else {
        message.put("content", text.toString());
      }
      message.putNull("refusal");
      if (!toolCalls.isEmpty()) {
        message.set("tool_calls", toolCalls);
      }
      choice.putNull("logprobs");
      choice.put(
          "finish_reason",
          OpenAiGeminiVocabulary.finishReason(
              candidate.path("finishReason").asText(null), !toolCalls.isEmpty()));
    }
    if (choices.isEmpty()) {
      // The prompt itself was blocked (promptFeedback.blockReason): no candidates at all.
      ObjectNode choice = choices.addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").putNull("content").putNull("refusal");
      choice.putNull("logprobs");
      choice.put("finish_reason", "content_filter");
    }
    setUsage(out, response);
    return out;
  }

  private static ObjectNode completionsResponse(ObjectNode response, String clientModel) {
    ObjectNode out = envelope(response, "cmpl-", "text_completion", clientModel);
    ArrayNode choices = out.putArray("choices");
    for (JsonNode candidate : response.path("candidates")) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : candidate.path("content").path("parts")) {
        if (!OpenAiGeminiContent.isThought(part) && part.has("text")) {
          text.append(part.get("text").asText());
        }
      }
      ObjectNode choice = choices.addObject();
      choice.put("text", text.toString());
      choice.put("index", candidate.path("index").asInt(choices.size() - 1));
      choice.putNull("logprobs");
      choice.put(
          "finish_reason",
          OpenAiGeminiVocabulary.finishReason(candidate.path("finishReason").asText(null), false));
    }
    setUsage(out, response);
    return out;
  }

  private static ObjectNode envelope(
      JsonNode response, String idPrefix, String object, String clientModel) {
    ObjectNode out = JSON.objectNode();
    String responseId = response.path("responseId").asText(null);
    out.put("id", idPrefix + (responseId != null ? responseId : UUID.randomUUID().toString()));
    out.put("object", object);
    out.put("created", Instant.now().getEpochSecond());
    out.put("model", clientModel);
    return out;
  }

  private static void setUsage(ObjectNode out, JsonNode response) {
    ObjectNode usage = OpenAiGeminiVocabulary.usage(response.get("usageMetadata"));
    if (usage != null) {
      out.set("usage", usage);
    }
  }
}
