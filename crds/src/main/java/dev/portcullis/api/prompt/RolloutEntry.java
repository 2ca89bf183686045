package dev.portcullis.api.prompt;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A version's share of traffic. */
@JsonClassDescription("A version's share of traffic.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutEntry {

  @JsonPropertyDescription("Name of a version in spec.versions.")
  @Required
  @Pattern(ValidationPatterns.DNS_LABEL)
  @Size(min = 1, max = 63)
  private String version;

  @JsonPropertyDescription("Percentage of requests (0 to 100) served by this version.")
  @Required
  @Min(0)
  @Max(100)
  private Integer weight;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }
}
