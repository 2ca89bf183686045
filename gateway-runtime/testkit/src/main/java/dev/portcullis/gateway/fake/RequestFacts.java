package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the fake needs from a generation request, whatever its protocol.
 *
 * @param model the model name as sent (options still attached), or {@code null}
 * @param stream whether the client asked for a stream
 * @param includeUsage OpenAI {@code stream_options.include_usage}
 * @param promptTokens estimated input tokens
 * @param lastUserText text of the last user message, for {@code echo}
 * @param maxTokens the client's output limit, or {@code null}
 * @param forcedTool the tool the client forces the model to call, or {@code null}
 */
record RequestFacts(
    String model,
    boolean stream,
    boolean includeUsage,
    int promptTokens,
    String lastUserText,
    Integer maxTokens,
    ForcedTool forcedTool) {

  /**
   * A tool the request requires the model to call ({@code tool_choice} required/any/named, Gemini
   * mode ANY).
   *
   * @param name the function name
   * @param schema its JSON schema for the arguments, or {@code null}
   */
  record ForcedTool(String name, JsonNode schema) {}

  /** Roughly four characters of text per token, as the providers' rules of thumb say. */
  static int estimateTokens(JsonNode body) {
    long chars = textLength(body);
    return (int) Math.max(1, (chars + 3) / 4);
  }

  private static long textLength(JsonNode node) {
    if (node == null) {
      return 0;
    }
    if (node.isTextual()) {
      return node.textValue().length();
    }
    long sum = 0;
    for (JsonNode child : node) {
      sum += textLength(child);
    }
    return sum;
  }

  /**
   * Text of a message {@code content}: a string, or an array of parts whose {@code text} fields are
   * joined.
   */
  static String contentText(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      JsonNode t = part.get("text");
      if (t != null && t.isTextual()) {
        if (!text.isEmpty()) {
          text.append(' ');
        }
        text.append(t.textValue());
      }
    }
    return text.toString();
  }

  /** The last element of {@code messages} with {@code role: user} (or no role at all). */
  static String lastUserText(JsonNode messages, String contentField) {
    if (messages == null || !messages.isArray()) {
      return "";
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      JsonNode role = message.get("role");
      if (role == null || "user".equals(role.asText())) {
        return contentText(message.get(contentField));
      }
    }
    return "";
  }

  /** An integer field, or {@code null} if absent. */
  static Integer intOrNull(JsonNode node) {
    return node == null || !node.canConvertToInt() ? null : node.intValue();
  }
}
