package dev.portcullis.gateway.provider.echo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code POST /v1/embeddings} of the echo upstream: a unit vector per input, derived from SHA-256
 * of the input, so the same text always gets the same vector (useful for cache tests) and different
 * texts almost surely different ones.
 */
final class EchoEmbeddings {
  static final int DEFAULT_DIMENSIONS = 8;
  private static final int MAX_DIMENSIONS = 4096;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private EchoEmbeddings() {}

  static EchoResponse answer(ObjectNode request) {
    List<String> inputs = inputs(request.get("input"));
    if (inputs.isEmpty()) {
      return EchoResponse.error(
          400,
          "invalid_request_error",
          "'input' must be a string, an array of strings, or token arrays");
    }
    int dimensions = request.path("dimensions").asInt(DEFAULT_DIMENSIONS);
    if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      return EchoResponse.error(
          400,
          "invalid_request_error",
          "'dimensions' must be between 1 and " + MAX_DIMENSIONS + ", got " + dimensions);
    }
    boolean base64 = "base64".equals(request.path("encoding_format").asText("float"));
    ObjectNode body = JSON.objectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      float[] vector = vector(inputs.get(i), dimensions);
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      if (base64) {
        item.put("embedding", base64(vector));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float v : vector) {
          values.add(v);
        }
      }
      tokens += TokenEstimate.of(inputs.get(i));
    }
    body.put("model", request.path("model").asText("echo"));
    body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return EchoResponse.json(body);
  }

  /**
   * The unit vector for {@code text}: SHA-256 in counter mode yields 32-bit integers, scaled to
   * [-1, 1) and normalized.
   */
  static float[] vector(String text, int dimensions) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    byte[] input = text.getBytes(StandardCharsets.UTF_8);
    double[] raw = new double[dimensions];
    ByteBuffer block = ByteBuffer.allocate(0);
    for (int i = 0, counter = 0; i < dimensions; i++) {
      if (!block.hasRemaining()) {
        sha256.update(input);
        sha256.update(ByteBuffer.allocate(4).putInt(counter++).array());
        block = ByteBuffer.wrap(sha256.digest());
      }
      raw[i] = block.getInt() / (double) (1L << 31);
    }
    double norm = 0;
    for (double v : raw) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    float[] vector = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      vector[i] = norm == 0 ? (i == 0 ? 1f : 0f) : (float) (raw[i] / norm);
    }
    return vector;
  }

  /** OpenAI's base64 encoding: the float32 values, little-endian. */
  private static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      bytes.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  /** Strings as they are; token arrays as their JSON text (still deterministic). */
  private static List<String> inputs(JsonNode input) {
    List<String> inputs = new ArrayList<>();
    if (input == null) {
      return inputs;
    }
    if (input.isTextual()) {
      inputs.add(input.asText());
    } else if (input.isArray() && !input.isEmpty() && input.get(0).isNumber()) {
      inputs.add(input.toString());
    } else if (input.isArray()) {
      input.forEach(i -> inputs.add(i.isTextual() ? i.asText() : i.toString()));
    }
    return inputs;
  }
}
