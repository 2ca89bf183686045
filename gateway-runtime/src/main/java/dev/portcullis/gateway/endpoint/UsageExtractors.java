package dev.portcullis.gateway.endpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads {@link Usage} from a complete (non-streamed) answer in any upstream format; each format's
 * own reading is its {@link FormatFamily}'s. Streams go through {@link UsageAccumulator} instead.
 */
public final class UsageExtractors {
  private UsageExtractors() {}

  /**
   * The same as {@link #forFormat} on the parsed body, without building the body's tree: one
   * streaming pass keeps only the usage object. Empty when the bytes are not a JSON object.
   */
  public static Optional<Usage> scan(WireFormat format, byte[] body) {
    String field = Endpoints.family(format).usageField();
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

  /** The usage of a whole answer in an upstream's format. */
  public static Optional<Usage> forFormat(WireFormat format, ObjectNode body) {
    return Endpoints.family(format).usage(body);
  }

  /** A count, never negative; missing or not a number counts as zero. */
  public static long count(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.canConvertToLong() ? Math.max(0, value.asLong()) : 0;
  }
}
