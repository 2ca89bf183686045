package dev.portcullis.gateway.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import java.security.SecureRandom;
import java.util.Optional;

/** The JSON plumbing both translators share: one mapper, node factories, id minting. */
final class Json {
  static final ObjectMapper MAPPER = Jackson.MAPPER;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private Json() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** Serializes a tree built in memory; cannot fail. */
  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses SSE data or a tool-call argument string; empty when it is not a JSON object. */
  static Optional<ObjectNode> parseObject(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return MAPPER.readTree(text) instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** A text field, or null when absent or not text. */
  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  /**
   * The message of an upstream error body of either format ({@code error.message}, a plain {@code
   * error} string, or a top-level {@code message}); null when it has none.
   */
  static String errorMessage(JsonNode body) {
    JsonNode error = body == null ? null : body.get("error");
    String message = null;
    if (error != null && error.isObject()) {
      message = text(error, "message");
    } else if (error != null && error.isTextual()) {
      message = error.asText();
    }
    return message != null ? message : text(body, "message");
  }

  /** A provider-style id: prefix plus 24 random base-62 characters. */
  static String newId(String prefix) {
    StringBuilder id = new StringBuilder(prefix);
    for (int i = 0; i < 24; i++) {
      id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return id.toString();
  }
}
