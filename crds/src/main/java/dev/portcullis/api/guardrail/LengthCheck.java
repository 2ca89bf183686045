package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** A size check; fires when the content is longer. */
@JsonClassDescription("A size check; fires when the content is longer.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.maxTokens) || has(self.maxCharacters)",
    message = "length needs maxTokens or maxCharacters",
    reason = "FieldValueRequired")
public class LengthCheck {

  @JsonPropertyDescription("Most tokens the content may have.")
  @Min(1)
  private Integer maxTokens;

  @JsonPropertyDescription("Most characters the content may have.")
  @Min(1)
  private Integer maxCharacters;

  public Integer getMaxTokens() {
    return maxTokens;
  }

  public void setMaxTokens(Integer maxTokens) {
    this.maxTokens = maxTokens;
  }

  public Integer getMaxCharacters() {
    return maxCharacters;
  }

  public void setMaxCharacters(Integer maxCharacters) {
    this.maxCharacters = maxCharacters;
  }
}
