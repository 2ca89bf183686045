package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/** Gemini {@code :embedContent} and {@code :batchEmbedContents}. */
final class GeminiEmbeddingsFormat {
  static final int DEFAULT_DIMENSIONS = 768;

  private GeminiEmbeddingsFormat() {}

  /** {@code {"embedding":{"values":[…]}}}. */
  static byte[] embed(JsonNode body) {
    StringBuilder json = new StringBuilder(DEFAULT_DIMENSIONS * 12 + 32);
    json.append("{\"embedding\":");
    appendEmbedding(json, body);
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code {"embeddings":[{"values":[…]}, …]}}, one per element of {@code requests}. */
  static byte[] batch(JsonNode body) {
    JsonNode requests = body.get("requests");
    if (requests == null || !requests.isArray() || requests.isEmpty()) {
      throw new IllegalArgumentException("'requests' must be a non-empty array");
    }
    StringBuilder json = new StringBuilder(requests.size() * DEFAULT_DIMENSIONS * 12 + 32);
    json.append("{\"embeddings\":[");
    for (int i = 0; i < requests.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      appendEmbedding(json, requests.get(i));
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendEmbedding(StringBuilder json, JsonNode request) {
    JsonNode content = request.get("content");
    if (content == null || !content.isObject()) {
      throw new IllegalArgumentException("'content' is required");
    }
    int dimensions = request.path("outputDimensionality").asInt(DEFAULT_DIMENSIONS);
    if (dimensions <= 0 || dimensions > 65_536) {
      throw new IllegalArgumentException("outputDimensionality must be between 1 and 65536");
    }
    String text = RequestFacts.contentText(content.get("parts"));
    json.append("{\"values\":");
    HashedEmbedding.appendJson(json, HashedEmbedding.of(text, dimensions));
    json.append('}');
  }
}
