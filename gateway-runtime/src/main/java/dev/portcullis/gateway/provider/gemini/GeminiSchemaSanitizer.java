package dev.portcullis.gateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns a JSON Schema written for OpenAI (tool parameters, {@code response_format.json_schema})
 * into the OpenAPI subset Gemini accepts. Gemini answers 400 for keywords outside that subset
 * ({@code additionalProperties}, {@code $schema}, {@code strict}, …), so unknown keywords are
 * dropped rather than passed through; local {@code $ref}s are inlined because Gemini has no
 * definitions section.
 */
final class GeminiSchemaSanitizer {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Keywords of Gemini's {@code Schema} object that carry over unchanged. */
  private static final Set<String> PLAIN_KEYWORDS =
      Set.of(
          "title",
          "description",
          "nullable",
          "maxItems",
          "minItems",
          "minProperties",
          "maxProperties",
          "minLength",
          "maxLength",
          "pattern",
          "example",
          "default",
          "minimum",
          "maximum",
          "propertyOrdering");

  private static final Set<String> STRING_FORMATS = Set.of("enum", "date-time");
  private static final Set<String> NUMBER_FORMATS = Set.of("float", "double", "int32", "int64");

  /** Inlining stops here so recursive definitions cannot loop forever. */
  private static final int MAX_DEPTH = 32;

  private GeminiSchemaSanitizer() {}

  /** A sanitized copy of {@code schema}; the input is not changed. */
  static ObjectNode sanitize(JsonNode schema) {
    JsonNode definitions = definitionsOf(schema);
    return sanitize(schema, definitions, 0);
  }

  /**
   * Whether a tool's parameter schema declares no parameters at all; Gemini rejects an OBJECT
   * schema with empty {@code properties}, so such a function is declared without parameters.
   */
  static boolean declaresNoParameters(JsonNode schema) {
    if (schema == null || !schema.isObject() || schema.isEmpty()) {
      return true;
    }
    JsonNode properties = schema.get("properties");
    return "object".equals(schema.path("type").asText())
        && (properties == null || properties.isEmpty());
  }

  private static JsonNode definitionsOf(JsonNode schema) {
    if (schema != null && schema.has("$defs")) {
      return schema.get("$defs");
    }
    return schema != null && schema.has("definitions") ? schema.get("definitions") : null;
  }

  private static ObjectNode sanitize(JsonNode schema, JsonNode definitions, int depth) {
    ObjectNode out = JSON.objectNode();
    if (schema == null || !schema.isObject() || depth > MAX_DEPTH) {
      return out;
    }
    JsonNode resolved = resolveReference(schema, definitions);
    JsonNode allOf = resolved.get("allOf");
    if (allOf != null && allOf.isArray()) {
      resolved = mergeAllOf(resolved, allOf, definitions);
    }

    String type = copyType(resolved, out);
    for (Iterator<Map.Entry<String, JsonNode>> it = resolved.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String keyword = field.getKey();
      JsonNode value = field.getValue();
      if (PLAIN_KEYWORDS.contains(keyword)) {
        out.set(keyword, value.deepCopy());
      }
      switch (keyword) {
        case "format" -> {
          if (formatAllowed(type, value.asText())) {
            out.put("format", value.asText());
          }
        }
        case "enum" -> out.set("enum", stringsOf(value));
        case "const" -> out.set("enum", JSON.arrayNode().add(value.asText()));
        case "items" -> out.set("items", sanitize(value, definitions, depth + 1));
        case "anyOf", "oneOf" -> {
          ArrayNode variants = sanitizeVariants(value, definitions, depth);
          if (!variants.isEmpty()) {
            out.set("anyOf", variants);
          }
        }
        case "properties" ->
            copyProperties(value, resolved.get("required"), out, definitions, depth);
        default -> {}
      }
    }
    return out;
  }

  /** Copies {@code type}, turning JSON Schema's {@code ["string", "null"]} into nullable. */
  private static String copyType(JsonNode schema, ObjectNode out) {
    JsonNode type = schema.get("type");
    if (type == null) {
      return null;
    }
    if (type.isTextual()) {
      out.put("type", type.asText());
      return type.asText();
    }
    if (type.isArray()) {
      ArrayNode nonNull = JSON.arrayNode();
      for (JsonNode t : type) {
        if ("null".equals(t.asText())) {
          out.put("nullable", true);
        } else {
          nonNull.add(t.asText());
        }
      }
      if (nonNull.size() == 1) {
        out.put("type", nonNull.get(0).asText());
        return nonNull.get(0).asText();
      }
      ArrayNode variants = JSON.arrayNode();
      nonNull.forEach(t -> variants.add(JSON.objectNode().put("type", t.asText())));
      if (!variants.isEmpty()) {
        out.set("anyOf", variants);
      }
    }
    return null;
  }

  private static void copyProperties(
      JsonNode properties, JsonNode required, ObjectNode out, JsonNode definitions, int depth) {
    if (!properties.isObject() || properties.isEmpty()) {
      return;
    }
    ObjectNode sanitized = out.putObject("properties");
    properties
        .fields()
        .forEachRemaining(
            p -> sanitized.set(p.getKey(), sanitize(p.getValue(), definitions, depth + 1)));
    if (required != null && required.isArray()) {
      // Gemini rejects a required name that is not among the properties.
      ArrayNode names = JSON.arrayNode();
      required.forEach(
          name -> {
            if (properties.has(name.asText())) {
              names.add(name.asText());
            }
          });
      if (!names.isEmpty()) {
        out.set("required", names);
      }
    }
  }

  private static ArrayNode sanitizeVariants(JsonNode variants, JsonNode definitions, int depth) {
    ArrayNode out = JSON.arrayNode();
    if (variants.isArray()) {
      for (JsonNode variant : variants) {
        if ("null".equals(variant.path("type").asText())) {
          continue; // expressed by nullable on the parent instead
        }
        out.add(sanitize(variant, definitions, depth + 1));
      }
    }
    return out;
  }

  private static JsonNode resolveReference(JsonNode schema, JsonNode definitions) {
    JsonNode ref = schema.get("$ref");
    if (ref == null || definitions == null) {
      return schema;
    }
    String pointer = ref.asText();
    int slash = pointer.lastIndexOf('/');
    JsonNode target = definitions.get(pointer.substring(slash + 1));
    if (target == null) {
      return schema;
    }
    // Keywords beside the $ref (e.g. a description) win over the definition's.
    ObjectNode merged = ((ObjectNode) target).deepCopy();
    schema.fields().forEachRemaining(f -> merged.set(f.getKey(), f.getValue()));
    merged.remove("$ref");
    return merged;
  }

  private static JsonNode mergeAllOf(JsonNode schema, JsonNode allOf, JsonNode definitions) {
    ObjectNode merged = JSON.objectNode();
    for (JsonNode part : allOf) {
      JsonNode resolved = resolveReference(part, definitions);
      if (resolved.isObject()) {
        resolved.fields().forEachRemaining(f -> merged.set(f.getKey(), f.getValue()));
      }
    }
    schema.fields().forEachRemaining(f -> merged.set(f.getKey(), f.getValue()));
    merged.remove("allOf");
    return merged;
  }

  private static boolean formatAllowed(String type, String format) {
    if ("string".equals(type)) {
      return STRING_FORMATS.contains(format);
    }
    return ("number".equals(type) || "integer".equals(type)) && NUMBER_FORMATS.contains(format);
  }

  private static ArrayNode stringsOf(JsonNode values) {
    ArrayNode out = JSON.arrayNode();
    if (values.isArray()) {
      for (JsonNode v : values) {
        if (!v.isNull()) {
          out.add(v.asText());
        }
      }
    }
    return out;
  }
}
