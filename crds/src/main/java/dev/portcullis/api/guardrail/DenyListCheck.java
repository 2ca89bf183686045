package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A word-list check. */
@JsonClassDescription("A word-list check.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DenyListCheck {

  @JsonPropertyDescription("Words or phrases that make the check fire.")
  @Required
  @Size(min = 1, max = 1000)
  private List<@Size(min = 1, max = 256) String> words;

  @JsonPropertyDescription("Whether case must match. Absent: false.")
  private Boolean caseSensitive;

  @JsonPropertyDescription(
      "Whether only whole words match (not parts of longer words). Absent: true.")
  private Boolean wholeWords;

  public List<String> getWords() {
    return words;
  }

  public void setWords(List<String> words) {
    this.words = words;
  }

  public Boolean getCaseSensitive() {
    return caseSensitive;
  }

  public void setCaseSensitive(Boolean caseSensitive) {
    this.caseSensitive = caseSensitive;
  }

  public Boolean getWholeWords() {
    return wholeWords;
  }

  public void setWholeWords(Boolean wholeWords) {
    this.wholeWords = wholeWords;
  }
}
