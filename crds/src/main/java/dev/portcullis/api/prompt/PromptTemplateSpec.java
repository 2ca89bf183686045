package dev.portcullis.api.prompt;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The desired state of a PromptTemplate. */
@JsonClassDescription("The desired state of a PromptTemplate.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.rollout) || self.rollout.all(r, self.versions.exists(v, v.name == r.version))",
    message = "every rollout[].version must name one of spec.versions",
    reason = "FieldValueInvalid")
public class PromptTemplateSpec {

  @JsonPropertyDescription("Variables the messages use as {{name}}. Names must be unique.")
  @Size(max = 64)
  @ValidationRule(
      value = "self.all(v, self.exists_one(w, w.name == v.name))",
      message = "variable names must be unique")
  private List<Variable> variables;

  @JsonPropertyDescription("The template's versions. Names must be unique.")
  @Required
  @Size(min = 1, max = 32)
  @ValidationRule(
      value = "self.all(v, self.exists_one(w, w.name == v.name))",
      message = "version names must be unique")
  private List<PromptVersion> versions;

  @JsonPropertyDescription(
      "A/B split of traffic between versions by weight; weights sum to 100. Absent: every request gets the last version listed.")
  @Size(max = 32)
  @ValidationRule(
      value = "self.map(r, r.weight).sum() == 100",
      message = "rollout weights must sum to 100")
  @ValidationRule(
      value = "self.all(r, self.exists_one(s, s.version == r.version))",
      message = "a version appears at most once in rollout")
  private List<RolloutEntry> rollout;

  @JsonPropertyDescription(
      "A request attribute (e.g. metadata.user_id) that keeps a caller on the same version. Absent: each request is assigned anew.")
  @Size(max = 253)
  private String stickyOn;

  public List<Variable> getVariables() {
    return variables;
  }

  public void setVariables(List<Variable> variables) {
    this.variables = variables;
  }

  public List<PromptVersion> getVersions() {
    return versions;
  }

  public void setVersions(List<PromptVersion> versions) {
    this.versions = versions;
  }

  public List<RolloutEntry> getRollout() {
    return rollout;
  }

  public void setRollout(List<RolloutEntry> rollout) {
    this.rollout = rollout;
  }

  public String getStickyOn() {
    return stickyOn;
  }

  public void setStickyOn(String stickyOn) {
    this.stickyOn = stickyOn;
  }
}
