package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** A prompt-injection heuristic. */
@JsonClassDescription("A prompt-injection heuristic.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PromptInjectionCheck {

  @JsonPropertyDescription("Score (0 to 1) at or above which the check fires. Absent: 0.8.")
  @Min(0)
  @Max(1)
  private Double threshold;

  public Double getThreshold() {
    return threshold;
  }

  public void setThreshold(Double threshold) {
    this.threshold = threshold;
  }
}
