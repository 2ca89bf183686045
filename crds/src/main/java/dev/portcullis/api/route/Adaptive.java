package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Weights of the Adaptive score; each from 0 to 1. */
@JsonClassDescription("Weights of the Adaptive score; each from 0 to 1.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Adaptive {

  @JsonPropertyDescription("How much observed latency counts (0 to 1).")
  @Min(0)
  @Max(1)
  private Double latencyWeight;

  @JsonPropertyDescription("How much the observed error rate counts (0 to 1).")
  @Min(0)
  @Max(1)
  private Double errorWeight;

  @JsonPropertyDescription("How much the price per token counts (0 to 1).")
  @Min(0)
  @Max(1)
  private Double costWeight;

  @JsonPropertyDescription(
      "Share of requests sent to a random target to keep its statistics fresh (0 to 1).")
  @Min(0)
  @Max(1)
  private Double explore;

  public Double getLatencyWeight() {
    return latencyWeight;
  }

  public void setLatencyWeight(Double latencyWeight) {
    this.latencyWeight = latencyWeight;
  }

  public Double getErrorWeight() {
    return errorWeight;
  }

  public void setErrorWeight(Double errorWeight) {
    this.errorWeight = errorWeight;
  }

  public Double getCostWeight() {
    return costWeight;
  }

  public void setCostWeight(Double costWeight) {
    this.costWeight = costWeight;
  }

  public Double getExplore() {
    return explore;
  }

  public void setExplore(Double explore) {
    this.explore = explore;
  }
}
