package dev.portcullis.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The part of a request a semantic route compares by meaning — the last user message's text — and
 * the rest of the request, which must match exactly.
 *
 * @param text the last user message's text (text parts joined with a blank line)
 * @param contextBody a copy of the body with that message's content replaced by a placeholder, for
 *     {@link CacheKey#semanticContext}
 */
public record LastUserMessage(String text, ObjectNode contextBody) {
  private static final String PLACEHOLDER = "\u0000portcullis:last-user-message";

  /**
   * Splits a request body. Empty — the request is then cached exactly only — when there is no user
   * message, or the last one holds anything but text (an image or a tool result is not compared by
   * meaning: a similar sentence about a different picture is a different question).
   */
  public static Optional<LastUserMessage> of(CachedOperation operation, ObjectNode body) {
    if (operation == CachedOperation.OPENAI_COMPLETIONS) {
      JsonNode prompt = body.get("prompt");
      if (prompt == null || !prompt.isTextual()) {
        return Optional.empty();
      }
      ObjectNode context = body.deepCopy();
      context.put("prompt", PLACEHOLDER);
      return Optional.of(new LastUserMessage(prompt.textValue(), context));
    }
    JsonNode messages = body.get("messages");
    if (!(messages instanceof ArrayNode array)) {
      return Optional.empty();
    }
    for (int i = array.size() - 1; i >= 0; i--) {
      JsonNode message = array.get(i);
      if (!"user".equals(message.path("role").asText())) {
        continue;
      }
      Optional<String> text = textOf(message.get("content"));
      if (text.isEmpty() || text.get().isBlank()) {
        return Optional.empty();
      }
      ObjectNode context = body.deepCopy();
      ((ObjectNode) context.withArray("messages").get(i)).put("content", PLACEHOLDER);
      return Optional.of(new LastUserMessage(text.get(), context));
    }
    return Optional.empty();
  }

  private static Optional<String> textOf(JsonNode content) {
    if (content == null) {
      return Optional.empty();
    }
    if (content.isTextual()) {
      return Optional.of(content.textValue());
    }
    if (!content.isArray()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
        return Optional.empty();
      }
      if (!text.isEmpty()) {
        text.append("\n\n");
      }
      text.append(part.get("text").textValue());
    }
    return Optional.of(text.toString());
  }
}
