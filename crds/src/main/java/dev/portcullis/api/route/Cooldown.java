package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.Durations;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Take a target out of rotation after repeated failures. */
@JsonClassDescription("Take a target out of rotation after repeated failures.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Cooldown {

  @JsonPropertyDescription("Failures within window that trigger a cooldown.")
  @Required
  @Min(1)
  private Integer failures;

  @JsonPropertyDescription("The sliding window failures are counted in, e.g. 60s. Absent: 60s.")
  @Pattern(Durations.PATTERN)
  private String window;

  @JsonPropertyDescription("How long the target stays out of rotation, e.g. 30s.")
  @Required
  @Pattern(Durations.PATTERN)
  private String duration;

  public Integer getFailures() {
    return failures;
  }

  public void setFailures(Integer failures) {
    this.failures = failures;
  }

  public String getWindow() {
    return window;
  }

  public void setWindow(String window) {
    this.window = window;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }
}
