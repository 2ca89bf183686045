package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts prompt tokens locally with a real BPE tokenizer (o200k_base) when the upstream has no
 * count endpoint of its own. Exact for OpenAI models, a close estimate for others.
 */
final class LocalTokenCounter {
  /** Per-message framing overhead, as OpenAI documents for chat models. */
  private static final int PER_MESSAGE = 3;

  private final Encoding encoding =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  int count(String text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
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
