package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;

/**
 * Makes up arguments that satisfy a tool's JSON schema (OpenAI/Anthropic JSON Schema, or Gemini's
 * upper-case OpenAPI subset), so that a client which validates tool arguments accepts the fake's
 * call: required properties get a value of their type, enums their first value.
 */
final class ToolArguments {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 8;

  private ToolArguments() {}

  /** An object satisfying {@code schema}; an empty object if there is no schema. */
  static ObjectNode example(JsonNode schema) {
    JsonNode value = value(schema, 0);
    return value instanceof ObjectNode object ? object : NODES.objectNode();
  }

  private static JsonNode value(JsonNode schema, int depth) {
    if (schema == null || !schema.isObject() || depth > MAX_DEPTH) {
      return NODES.objectNode();
    }
    JsonNode enumValues = schema.get("enum");
    if (enumValues != null && enumValues.isArray() && !enumValues.isEmpty()) {
      return enumValues.get(0);
    }
    JsonNode constValue = schema.get("const");
    if (constValue != null) {
      return constValue;
    }
    for (String combinator : new String[] {"anyOf", "oneOf", "allOf"}) {
      JsonNode options = schema.get(combinator);
      if (options != null && options.isArray() && !options.isEmpty()) {
        return value(options.get(0), depth + 1);
      }
    }
    return switch (type(schema)) {
      case "string" -> NODES.textNode("fake");
      case "integer", "number" -> NODES.numberNode(1);
      case "boolean" -> NODES.booleanNode(true);
      case "null" -> NODES.nullNode();
      case "array" -> {
        ArrayNode array = NODES.arrayNode();
        JsonNode minItems = schema.get("minItems");
        if (minItems != null && minItems.asInt() > 0) {
          array.add(value(schema.get("items"), depth + 1));
        }
        yield array;
      }
      default -> object(schema, depth);
    };
  }

  private static ObjectNode object(JsonNode schema, int depth) {
    ObjectNode object = NODES.objectNode();
    JsonNode properties = schema.get("properties");
    if (properties == null || !properties.isObject()) {
      return object;
    }
    JsonNode required = schema.get("required");
    if (required != null && required.isArray() && !required.isEmpty()) {
      for (JsonNode name : required) {
        object.set(name.asText(), value(properties.get(name.asText()), depth + 1));
      }
    } else {
      for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        object.set(name, value(properties.get(name), depth + 1));
      }
    }
    return object;
  }

  private static String type(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type == null) {
      return schema.has("properties") ? "object" : "string";
    }
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (!"null".equalsIgnoreCase(t.asText())) {
          return t.asText().toLowerCase(Locale.ROOT);
        }
      }
      return "null";
    }
    return type.asText().toLowerCase(Locale.ROOT);
  }
}
