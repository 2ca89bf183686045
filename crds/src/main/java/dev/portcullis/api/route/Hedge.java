package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.Durations;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Send the request to the next target too when no first byte arrived in time; the first answer
 * wins.
 */
@JsonClassDescription(
    "Send the request to the next target too when no first byte arrived in time; the first answer wins.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Hedge {

  @JsonPropertyDescription("How long to wait for a first byte before hedging, e.g. 800ms.")
  @Required
  @Pattern(Durations.PATTERN)
  private String after;

  public String getAfter() {
    return after;
  }

  public void setAfter(String after) {
    this.after = after;
  }
}
