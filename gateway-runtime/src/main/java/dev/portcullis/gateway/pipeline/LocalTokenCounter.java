package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;

/**
 * Counts prompt tokens locally with a real BPE tokenizer (o200k_base): for Anthropic's count_tokens
 * when the upstream has no count endpoint of its own, and for the token and cost reservations the
 * limits make before a call. Exact for OpenAI models, a close estimate for others.
 */
public final class LocalTokenCounter {
  /** Per-message framing overhead, as OpenAI documents for chat models. */
  private static final int PER_MESSAGE = 3;

  /**
   * The o200k vocabulary takes about 35 MB of heap, so it is loaded once per process (shared by
   * every counter) and only when something first needs a count: a gateway whose keys have no token
   * limits or budgets never loads it.
   */
  private static final class O200k {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  int count(String text) {
    return text == null || text.isEmpty() ? 0 : O200k.ENCODING.countTokensOrdinary(text);
  }

  /** Prompt tokens of a request in the client's format, for a reservation. */
  public int countRequest(WireFormat format, Operation operation, JsonNode request) {
    if (format == WireFormat.ANTHROPIC) {
      return countAnthropicRequest(request);
    }
    return switch (operation) {
      case CHAT -> countOpenAiChat(request);
      case COMPLETIONS -> countInputs(request.get("prompt"));
      case EMBEDDINGS -> countInputs(request.get("input"));
      case COUNT_TOKENS -> 0;
    };
  }

  /** Tokens of an OpenAI chat request: messages (text parts, tool calls), tool definitions. */
  int countOpenAiChat(JsonNode request) {
    int total = 0;
    JsonNode messages = request.get("messages");
    if (messages != null) {
      for (JsonNode m : messages) {
        total += PER_MESSAGE + countOpenAiContent(m.get("content"));
        JsonNode calls = m.get("tool_calls");
        if (calls != null) {
          total += count(calls.toString());
        }
      }
    }
    JsonNode tools = request.get("tools");
    if (tools != null) {
      total += count(tools.toString());
    }
    return total;
  }

  private int countOpenAiContent(JsonNode content) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return count(content.asText());
    }
    int total = 0;
    for (JsonNode part : content) {
      if (part.has("text")) {
        total += count(part.get("text").asText());
      } else if ("image_url".equals(part.path("type").asText())) {
        total += 765; // OpenAI's cost of one 1024x1024 high-detail image
      }
    }
    return total;
  }

  /** A prompt or embeddings input: a string, strings, or pre-tokenized arrays of integers. */
  private int countInputs(JsonNode input) {
    if (input == null || input.isNull()) {
      return 0;
    }
    if (input.isTextual()) {
      return count(input.asText());
    }
    int total = 0;
    for (JsonNode item : input) {
      total += item.isTextual() ? count(item.asText()) : item.isArray() ? item.size() : 1;
    }
    return total;
  }

  /** Tokens of an Anthropic messages request: system, messages, tool definitions. */
  int countAnthropicRequest(JsonNode request) {
    int total = countContent(request.get("system"));
    JsonNode messages = request.get("messages");
    if (messages != null) {
      for (JsonNode m : messages) {
        total += PER_MESSAGE + countContent(m.get("content"));
      }
    }
    JsonNode tools = request.get("tools");
    if (tools != null) {
      total += count(tools.toString());
    }
    return total;
  }

  private int countContent(JsonNode content) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return count(content.asText());
    }
    int total = 0;
    for (JsonNode block : content) {
      if (block.has("text")) {
        total += count(block.get("text").asText());
      } else if (block.has("input")) {
        total += count(block.get("input").toString());
      } else if (block.has("content")) {
        total += countContent(block.get("content"));
      } else if ("image".equals(block.path("type").asText())) {
        total += 1_600; // Anthropic's documented upper estimate for one image
      }
    }
    return total;
  }
}
