package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** JSON pieces the fake splices into pre-built response templates. */
final class JsonText {
  /**
   * The fake's one mapper. Its buffers come from a shared, bounded pool rather than Jackson's
   * default per-thread one: every request and stream runs on its own virtual thread, so per-thread
   * buffers would be allocated afresh for each (the gateway sets up Jackson the same way, for the
   * same reason; this module cannot use the gateway's set-up because the gateway's tests depend on
   * it).
   */
  static final ObjectMapper MAPPER =
      new JsonMapper(
          new JsonFactoryBuilder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build());

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
