package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ResourceStatus;
import io.fabric8.generator.annotation.Size;

/** The observed state of a GuardrailPolicy. */
@JsonClassDescription("The observed state of a GuardrailPolicy.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuardrailPolicyStatus extends ResourceStatus {

  @JsonPropertyDescription(
      "The check names the fleet runs, in order and comma-separated, for the CHECKS column (a"
          + " printer column shows only the first value a path selects, so spec.checks[*].name"
          + " cannot be used). Empty while the policy is left out of the snapshot.")
  @Size(max = 4096)
  private String checks;

  public String getChecks() {
    return checks;
  }

  public void setChecks(String checks) {
    this.checks = checks;
  }
}
