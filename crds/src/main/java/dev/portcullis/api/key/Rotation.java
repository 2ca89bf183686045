package dev.portcullis.api.key;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.Durations;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Automatic key rotation. */
@JsonClassDescription("Automatic key rotation.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rotation {

  @JsonPropertyDescription("Rotate this long after the last rotation, e.g. 720h.")
  @Required
  @Pattern(Durations.PATTERN)
  private String every;

  @JsonPropertyDescription(
      "How long the previous key keeps working after a rotation, e.g. 24h. Absent: 0s.")
  @Pattern(Durations.PATTERN)
  private String gracePeriod;

  public String getEvery() {
    return every;
  }

  public void setEvery(String every) {
    this.every = every;
  }

  public String getGracePeriod() {
    return gracePeriod;
  }

  public void setGracePeriod(String gracePeriod) {
    this.gracePeriod = gracePeriod;
  }
}
