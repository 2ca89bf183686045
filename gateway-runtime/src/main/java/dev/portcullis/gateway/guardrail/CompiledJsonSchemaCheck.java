package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion.VersionFlag;

/**
 * The {@code jsonSchema} check: fires when the text is not one JSON document valid against the
 * schema (draft 2020-12 unless the schema's {@code $schema} names another), with the networknt
 * validator the CRD validation uses. Surrounding whitespace is allowed; a Markdown code fence is
 * not, since a client parsing the answer would fail on it too. The schema is compiled once per
 * snapshot. It judges whole text: on a stream it runs at the end.
 */
final class CompiledJsonSchemaCheck implements WholeTextCheck {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(VersionFlag.V202012);

  private final JsonSchema schema;

  private CompiledJsonSchemaCheck(JsonSchema schema) {
    this.schema = schema;
  }

  static CompiledJsonSchemaCheck compile(
      JsonNode settings, CheckTypeRegistry.CompileContext context) {
    JsonNode node = settings.path("schema");
    if (!node.isObject()) {
      throw new GuardrailCompileException("jsonSchema.schema: set the schema as an object");
    }
    try {
      JsonSchema compiled = FACTORY.getSchema(node);
      compiled.initializeValidators();
      return new CompiledJsonSchemaCheck(compiled);
    } catch (RuntimeException e) {
      throw new GuardrailCompileException(
          "jsonSchema.schema: not a usable JSON Schema: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean fires(String text, CheckContext context) {
    JsonNode document;
    try {
      document = JSON.readTree(text);
    } catch (JacksonException e) {
      return true;
    }
    return document == null || document.isMissingNode() || !schema.validate(document).isEmpty();
  }
}
