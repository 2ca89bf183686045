package dev.portcullis.gateway.provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads {@link Usage} from a complete (non-streamed) response body in each wire format. Streams go
 * through {@link UsageAccumulator} instead. Missing fields count as zero; a body without a usage
 * object yields empty.
 */
public final class UsageExtractors {
  private UsageExtractors() {}

  /**
   * The same as {@link #forFormat} on the parsed body, without building the body's tree: one
   * streaming pass keeps only the usage object. Empty when the bytes are not a JSON object.
   */
  public static Optional<Usage> scan(WireFormat format, byte[] body) {
    String field = format == WireFormat.GEMINI ? "usageMetadata" : "usage";
    ObjectNode kept = Jackson.MAPPER.createObjectNode();
    try (JsonParser p = Jackson.MAPPER.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals(field)) {
          kept.set(field, node(p)); // the last one wins, as in a tree
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return forFormat(format, kept);
  }

  /**
   * The value at the parser's current token as a tree, with the node types {@code readTree} gives
   * (so the counts read the same); built by hand because {@code readTree} sets up a whole
   * deserialization context for these few numbers.
   */
  private static JsonNode node(JsonParser p) throws IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    return switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          object.set(name, node(p));
        }
        yield object;
      }
      case START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          array.add(node(p));
        }
        yield array;
      }
      case VALUE_NUMBER_INT ->
          switch (p.getNumberType()) {
            case INT -> nodes.numberNode(p.getIntValue());
            case LONG -> nodes.numberNode(p.getLongValue());
            default -> nodes.numberNode(p.getBigIntegerValue());
          };
      case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
      case VALUE_STRING -> nodes.textNode(p.getText());
      case VALUE_TRUE -> nodes.booleanNode(true);
      case VALUE_FALSE -> nodes.booleanNode(false);
      default -> nodes.nullNode();
    };
  }

  public static Optional<Usage> forFormat(WireFormat format, ObjectNode body) {
    return switch (format) {
      case OPENAI -> openAi(body);
      case ANTHROPIC -> anthropic(body);
      case GEMINI -> gemini(body);
    };
  }

  /**
   * OpenAI chat completion, legacy completion or embeddings body: {@code usage.prompt_tokens},
   * {@code usage.completion_tokens} (absent for embeddings), {@code
   * usage.prompt_tokens_details.cached_tokens}.
   */
  public static Optional<Usage> openAi(ObjectNode body) {
    return openAiUsage(body.get("usage"));
  }

  /**
   * Anthropic message body: {@code usage.input_tokens} excludes cache reads and writes, so they are
   * added back to get every prompt token.
   */
  public static Optional<Usage> anthropic(ObjectNode body) {
    return anthropicUsage(body.get("usage"));
  }

  /**
   * Gemini generateContent body: {@code usageMetadata.promptTokenCount} (cached included), {@code
   * candidatesTokenCount + thoughtsTokenCount} (thinking is billed as output), {@code
   * cachedContentTokenCount}.
   */
  public static Optional<Usage> gemini(ObjectNode body) {
    JsonNode u = body.get("usageMetadata");
    if (u == null || !u.isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        new Usage(
            count(u, "promptTokenCount"),
            count(u, "candidatesTokenCount") + count(u, "thoughtsTokenCount"),
            count(u, "cachedContentTokenCount")));
  }

  static Optional<Usage> openAiUsage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        new Usage(
            count(u, "prompt_tokens"),
            count(u, "completion_tokens"),
            count(u.path("prompt_tokens_details"), "cached_tokens")));
  }

  static Optional<Usage> anthropicUsage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return Optional.empty();
    }
    long cacheRead = count(u, "cache_read_input_tokens");
    return Optional.of(
        new Usage(
            count(u, "input_tokens") + cacheRead + count(u, "cache_creation_input_tokens"),
            count(u, "output_tokens"),
            cacheRead));
  }

  static long count(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.canConvertToLong() ? Math.max(0, value.asLong()) : 0;
  }
}
