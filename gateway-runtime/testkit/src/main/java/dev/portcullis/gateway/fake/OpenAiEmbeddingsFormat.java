package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** OpenAI {@code POST /v1/embeddings}: one deterministic vector per input. */
final class OpenAiEmbeddingsFormat {
  static final int DEFAULT_DIMENSIONS = 1536;

  private OpenAiEmbeddingsFormat() {}

  /**
   * @throws IllegalArgumentException if {@code input} is missing or has the wrong shape
   */
  static byte[] respond(JsonNode body, String model) {
    List<String> inputs = inputs(body.get("input"));
    int dimensions = body.path("dimensions").asInt(DEFAULT_DIMENSIONS);
    if (dimensions <= 0 || dimensions > 65_536) {
      throw new IllegalArgumentException("dimensions must be between 1 and 65536");
    }
    boolean base64 = "base64".equals(body.path("encoding_format").asText("float"));
    int promptTokens = 0;
    StringBuilder json = new StringBuilder(inputs.size() * dimensions * 12 + 256);
    json.append("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < inputs.size(); i++) {
      String input = inputs.get(i);
      promptTokens += Math.max(1, (input.length() + 3) / 4);
      float[] vector = HashedEmbedding.of(input, dimensions);
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
      if (base64) {
        json.append('"').append(HashedEmbedding.base64(vector)).append('"');
      } else {
        HashedEmbedding.appendJson(json, vector);
      }
      json.append('}');
    }
    json.append("],\"model\":")
        .append(JsonText.quoted(model))
        .append(",\"usage\":{\"prompt_tokens\":")
        .append(promptTokens)
        .append(",\"total_tokens\":")
        .append(promptTokens)
        .append("}}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A string, an array of strings, a token array, or an array of token arrays. */
  private static List<String> inputs(JsonNode input) {
    if (input == null || input.isNull()) {
      throw new IllegalArgumentException("'input' is required");
    }
    if (input.isTextual()) {
      return List.of(input.textValue());
    }
    if (!input.isArray() || input.isEmpty()) {
      throw new IllegalArgumentException("'input' must be a string or a non-empty array");
    }
    if (input.get(0).isNumber()) {
      return List.of(tokenText(input));
    }
    List<String> inputs = new ArrayList<>(input.size());
    for (JsonNode item : input) {
      inputs.add(item.isArray() ? tokenText(item) : item.asText());
    }
    return inputs;
  }

  private static String tokenText(JsonNode tokens) {
    StringBuilder text = new StringBuilder();
    for (JsonNode token : tokens) {
      text.append(token.asLong()).append(' ');
    }
    return text.toString();
  }
}
