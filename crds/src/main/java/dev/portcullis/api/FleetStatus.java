package dev.portcullis.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** How many gateway pods run a snapshot that carries the resource as it is now. */
@JsonClassDescription(
    "How many connected gateway pods run a snapshot that carries the resource as it is now.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FleetStatus {

  @JsonPropertyDescription(
      "Gateway pods that acknowledged a snapshot carrying the resource as it is now (its"
          + " generation and what it resolves to).")
  @Min(0)
  private Integer synced;

  @JsonPropertyDescription(
      "Gateway pods connected to any operator replica (each replica publishes its own; a replica"
          + " that stopped publishing no longer counts).")
  @Min(0)
  private Integer total;

  public Integer getSynced() {
    return synced;
  }

  public void setSynced(Integer synced) {
    this.synced = synced;
  }

  public Integer getTotal() {
    return total;
  }

  public void setTotal(Integer total) {
    this.total = total;
  }
}
