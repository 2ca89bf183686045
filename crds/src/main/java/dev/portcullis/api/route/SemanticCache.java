package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Settings of the semantic cache. */
@JsonClassDescription("Settings of the semantic cache.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SemanticCache {

  @JsonPropertyDescription(
      "Least cosine similarity (0 to 1) of the last user message for a cached response to be"
          + " reused, for the built-in embedding model. Absent: 0.88 (calibrated on the"
          + " project's labelled paraphrase set).")
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
