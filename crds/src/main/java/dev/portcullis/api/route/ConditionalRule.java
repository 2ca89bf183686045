package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A rule of Conditional mode: when the request matches, use the target. */
@JsonClassDescription("A rule of Conditional mode: when the request matches, use the target.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConditionalRule {

  @JsonPropertyDescription(
      "Matchers keyed by request attribute (e.g. \"metadata.tier\", \"params.stream\"), each an object of operators such as eq and in. The rule matches when all matchers do.")
  @Required
  @PreserveUnknownFields
  private ObjectNode when;

  @JsonPropertyDescription("Name of the target to use when the rule matches.")
  @Required
  @Pattern(ValidationPatterns.DNS_LABEL)
  @Size(min = 1, max = 63)
  private String target;

  public ObjectNode getWhen() {
    return when;
  }

  public void setWhen(ObjectNode when) {
    this.when = when;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }
}
