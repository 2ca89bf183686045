package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gateway.json.Jackson;

/** JSON pieces the fake splices into pre-built response templates. */
final class JsonText {
  static final ObjectMapper MAPPER = Jackson.MAPPER;

  private JsonText() {}

  /** {@code s} as a JSON string literal, quotes included; {@code null} becomes {@code null}. */
  static String quoted(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, out);
    return out.append('"').toString();
  }

  /** Compact JSON of a tree. */
  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }
}
