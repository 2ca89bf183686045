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
      "Version (content hash) of the first configuration snapshot that carried this route as it"
          + " is now (its spec and everything it resolves to: Secrets, policies, templates). It"
          + " changes only when this route's resolved content changes, not when other resources"
          + " produce newer snapshots; gateways that acknowledged this or any later snapshot that"
          + " carries the route unchanged count as synced. Empty while the route is left out of"
          + " the snapshot.")
  @Size(max = 128)
  private String configVersion;

  @JsonPropertyDescription(
      "How many connected gateway pods run a snapshot carrying this route as it is now.")
  private FleetStatus fleet;

  @JsonPropertyDescription(
      "The strategy mode the fleet serves (Single when spec.strategy is absent), for the"
          + " STRATEGY column. Empty while the route is left out of the snapshot.")
  @Size(max = 32)
  private String strategy;

  @JsonPropertyDescription(
      "The target names the fleet serves, in order and comma-separated, for the TARGETS column"
          + " (a printer column shows only the first value a path selects, so"
          + " spec.targets[*].name cannot be used). Empty while the route is left out of the"
          + " snapshot.")
  @Size(max = 4096)
  private String targets;

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

  public String getStrategy() {
    return strategy;
  }

  public void setStrategy(String strategy) {
    this.strategy = strategy;
  }

  public String getTargets() {
    return targets;
  }

  public void setTargets(String targets) {
    this.targets = targets;
  }
}
