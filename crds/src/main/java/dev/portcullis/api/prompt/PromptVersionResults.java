package dev.portcullis.api.prompt;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/**
 * What one version of a template served, summed over the fleet's gateways since they started, so
 * the versions of an A/B rollout can be compared where the rollout is declared.
 */
@JsonClassDescription(
    "Results of one version, summed over the fleet's gateways since they started: requests,"
        + " errors, tokens, cost and mean latency.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PromptVersionResults {

  @JsonPropertyDescription("The version's name.")
  private String version;

  @JsonPropertyDescription("Requests served with this version, failed ones included.")
  @Min(0)
  private Long requests;

  @JsonPropertyDescription("Requests that ended in an error after this version was chosen.")
  @Min(0)
  private Long errors;

  @JsonPropertyDescription("Input tokens of those requests.")
  @Min(0)
  private Long inputTokens;

  @JsonPropertyDescription("Output tokens of those requests.")
  @Min(0)
  private Long outputTokens;

  @JsonProperty("spendUSD")
  @JsonPropertyDescription("Their cost in USD, as a decimal string.")
  private String spendUsd;

  @JsonPropertyDescription(
      "Mean latency of those requests in milliseconds, to the end of the answer.")
  @Min(0)
  private Long meanLatencyMs;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public Long getRequests() {
    return requests;
  }

  public void setRequests(Long requests) {
    this.requests = requests;
  }

  public Long getErrors() {
    return errors;
  }

  public void setErrors(Long errors) {
    this.errors = errors;
  }

  public Long getInputTokens() {
    return inputTokens;
  }

  public void setInputTokens(Long inputTokens) {
    this.inputTokens = inputTokens;
  }

  public Long getOutputTokens() {
    return outputTokens;
  }

  public void setOutputTokens(Long outputTokens) {
    this.outputTokens = outputTokens;
  }

  public String getSpendUsd() {
    return spendUsd;
  }

  public void setSpendUsd(String spendUsd) {
    this.spendUsd = spendUsd;
  }

  public Long getMeanLatencyMs() {
    return meanLatencyMs;
  }

  public void setMeanLatencyMs(Long meanLatencyMs) {
    this.meanLatencyMs = meanLatencyMs;
  }
}
