package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A regular-expression check. */
@JsonClassDescription("A regular-expression check.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegexCheck {

  @JsonPropertyDescription(
      "The regular expression, in RE2 syntax: no back-references or look-around, and matching takes time linear in the text.")
  @Required
  @Size(min = 1, max = 1024)
  private String pattern;

  @JsonPropertyDescription(
      "If true, the check fires when the content does NOT match. Absent: false (fires on a match).")
  private Boolean mustMatch;

  public String getPattern() {
    return pattern;
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  public Boolean getMustMatch() {
    return mustMatch;
  }

  public void setMustMatch(Boolean mustMatch) {
    this.mustMatch = mustMatch;
  }
}
