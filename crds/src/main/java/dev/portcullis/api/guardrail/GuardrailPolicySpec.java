package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The desired state of a GuardrailPolicy. */
@JsonClassDescription("The desired state of a GuardrailPolicy.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuardrailPolicySpec {

  @JsonPropertyDescription(
      "Checks run in order; each sets exactly one check type. Names must be unique.")
  @Required
  @Size(min = 1, max = 32)
  @ValidationRule(
      value = "self.all(c, self.exists_one(d, d.name == c.name))",
      message = "check names must be unique")
  private List<GuardrailCheck> checks;

  @JsonPropertyDescription(
      "What a denied caller is told. Absent: a generic message naming policy and check.")
  @Size(max = 1024)
  private String message;

  public List<GuardrailCheck> getChecks() {
    return checks;
  }

  public void setChecks(List<GuardrailCheck> checks) {
    this.checks = checks;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
