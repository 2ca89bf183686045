package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.Durations;
import io.fabric8.generator.annotation.Pattern;

/** Exponential backoff with jitter. */
@JsonClassDescription("Exponential backoff with jitter.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Backoff {

  @JsonPropertyDescription(
      "Wait before the first retry, e.g. 200ms; doubles with each further retry.")
  @Pattern(Durations.PATTERN)
  private String base;

  @JsonPropertyDescription("Longest wait between retries, e.g. 5s.")
  @Pattern(Durations.PATTERN)
  private String max;

  public String getBase() {
    return base;
  }

  public void setBase(String base) {
    this.base = base;
  }

  public String getMax() {
    return max;
  }

  public void setMax(String max) {
    this.max = max;
  }
}
