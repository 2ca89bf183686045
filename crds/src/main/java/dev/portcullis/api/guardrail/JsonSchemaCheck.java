package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;

/** A JSON-schema check; fires when the output is not JSON valid against the schema. */
@JsonClassDescription(
    "A JSON-schema check; fires when the output is not JSON valid against the schema.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JsonSchemaCheck {

  @JsonPropertyDescription("The JSON Schema (draft 2020-12) the output must satisfy.")
  @Required
  @PreserveUnknownFields
  private ObjectNode schema;

  public ObjectNode getSchema() {
    return schema;
  }

  public void setSchema(ObjectNode schema) {
    this.schema = schema;
  }
}
