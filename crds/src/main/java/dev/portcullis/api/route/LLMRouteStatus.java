package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.FleetStatus;
import dev.portcullis.api.ResourceStatus;
import io.fabric8.generator.annotation.Size;

/** The observed state of an LLMRoute. */
@JsonClassDescription("The observed state of an LLMRoute.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LLMRouteStatus extends ResourceStatus {

  @JsonPropertyDescription(
      "Version (content hash) of the newest snapshot that contains this generation.")
  @Size(max = 128)
  private String configVersion;

  @JsonPropertyDescription("How many gateway pods serve this generation.")
  private FleetStatus fleet;

  public String getConfigVersion() {
    return configVersion;
  }

  public void setConfigVersion(String configVersion) {
    this.configVersion = configVersion;
  }

  public FleetStatus getFleet() {
    return fleet;
  }

  public void setFleet(FleetStatus fleet) {
    this.fleet = fleet;
  }
}
