package dev.portcullis.api.key;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Spend and traffic of a key in the current period. */
@JsonClassDescription("Spend and traffic of a key in the current period.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyUsage {

  @JsonPropertyDescription("Start of the current budget period (RFC 3339).")
  private String periodStart;

  @JsonProperty("spendUSD")
  @JsonPropertyDescription("USD spent in the current period, as a decimal string.")
  private String spendUsd;

  @JsonPropertyDescription("Requests served in the current period.")
  @Min(0)
  private Long requests;

  @JsonPropertyDescription("Input tokens in the current period.")
  @Min(0)
  private Long inputTokens;

  @JsonPropertyDescription("Output tokens in the current period.")
  @Min(0)
  private Long outputTokens;

  @JsonPropertyDescription("When these figures were last rolled up (RFC 3339).")
  private String updatedAt;

  public String getPeriodStart() {
    return periodStart;
  }

  public void setPeriodStart(String periodStart) {
    this.periodStart = periodStart;
  }

  public String getSpendUsd() {
    return spendUsd;
  }

  public void setSpendUsd(String spendUsd) {
    this.spendUsd = spendUsd;
  }

  public Long getRequests() {
    return requests;
  }

  public void setRequests(Long requests) {
    this.requests = requests;
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

  public String getUpdatedAt() {
    return updatedAt;
  }

  public void setUpdatedAt(String updatedAt) {
    this.updatedAt = updatedAt;
  }
}
