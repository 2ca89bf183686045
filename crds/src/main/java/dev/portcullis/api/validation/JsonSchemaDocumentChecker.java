package dev.portcullis.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks that a JSON Schema written in a guardrail ({@code jsonSchema.schema}) is itself valid, by
 * validating it against its draft's meta-schema. The meta-schemas ship inside the validator
 * library, so nothing is fetched over the network. A schema without {@code $schema} is read as
 * draft 2020-12.
 */
final class JsonSchemaDocumentChecker {
  private static final Map<String, VersionFlag> DRAFTS =
      Map.of(
          "http://json-schema.org/draft-04/schema", VersionFlag.V4,
          "http://json-schema.org/draft-06/schema", VersionFlag.V6,
          "http://json-schema.org/draft-07/schema", VersionFlag.V7,
          "https://json-schema.org/draft/2019-09/schema", VersionFlag.V201909,
          "https://json-schema.org/draft/2020-12/schema", VersionFlag.V202012);

  private static final Map<VersionFlag, JsonSchema> META_SCHEMAS = new ConcurrentHashMap<>();

  private JsonSchemaDocumentChecker() {}

  static void check(FieldChecker checker, String path, JsonNode schema) {
    if (schema == null || schema.isNull()) {
      checker.add(path, "required field is missing");
      return;
    }
    if (!schema.isObject() && !schema.isBoolean()) {
      checker.add(path, "a JSON Schema must be an object (or true/false)");
      return;
    }
    VersionFlag draft = VersionFlag.V202012;
    JsonNode declared = schema.path("$schema");
    if (declared.isTextual()) {
      draft = DRAFTS.get(declared.asText().replaceFirst("#$", ""));
      if (draft == null) {
        checker.add(
            path + ".$schema",
            "'"
                + declared.asText()
                + "' is not a JSON Schema draft this gateway knows: use one of "
                + DRAFTS.keySet().stream().sorted().toList()
                + " or leave $schema out for 2020-12");
        return;
      }
    }
    List<ValidationMessage> messages =
        metaSchema(draft).validate(schema).stream()
            .sorted(Comparator.comparing(m -> m.getInstanceLocation().toString()))
            .toList();
    // One message per place: for alternatives (a type is a name or a list of names) the validator
    // reports every branch, and the first says it best.
    Set<String> reported = new HashSet<>();
    for (ValidationMessage message : messages) {
      if (!reported.add(message.getInstanceLocation().toString())) {
        continue;
      }
      checker.add(
          path + suffix(message.getInstanceLocation()),
          "not a valid JSON Schema ("
              + draftName(draft)
              + "): "
              + quoted(schema, message.getInstanceLocation())
              + describe(message));
    }
  }

  private static JsonSchema metaSchema(VersionFlag draft) {
    return META_SCHEMAS.computeIfAbsent(
        draft,
        d -> {
          JsonSchemaFactory factory = JsonSchemaFactory.getInstance(d);
          String iri =
              DRAFTS.entrySet().stream()
                  .filter(e -> e.getValue() == d)
                  .findFirst()
                  .orElseThrow()
                  .getKey();
          return factory.getSchema(SchemaLocation.of(iri));
        });
  }

  private static String draftName(VersionFlag draft) {
    return switch (draft) {
      case V4 -> "draft-04";
      case V6 -> "draft-06";
      case V7 -> "draft-07";
      case V201909 -> "draft 2019-09";
      case V202012 -> "draft 2020-12";
    };
  }

  /** {@code .properties.answer.type} for the location {@code $.properties.answer.type}. */
  private static String suffix(JsonNodePath location) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object step = location.getElement(i);
      if (step instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        path.append('.').append(step);
      }
    }
    return path.toString();
  }

  /** {@code 'objekt' } for a scalar at {@code location}, so the message says what was written. */
  private static String quoted(JsonNode schema, JsonNodePath location) {
    JsonNode value = schema;
    for (int i = 0; i < location.getNameCount() && value != null; i++) {
      Object step = location.getElement(i);
      value = step instanceof Integer index ? value.get(index) : value.get(step.toString());
    }
    return value != null && value.isValueNode() ? "'" + value.asText() + "' " : "";
  }

  private static String describe(ValidationMessage message) {
    String text = message.getMessage();
    String prefix = message.getInstanceLocation() + ": ";
    return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
  }
}
