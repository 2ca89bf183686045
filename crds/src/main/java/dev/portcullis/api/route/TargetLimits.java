package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** An upstream quota shared by the whole gateway fleet. */
@JsonClassDescription("An upstream quota shared by the whole gateway fleet.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetLimits {

  @JsonPropertyDescription("Requests per minute the upstream allows.")
  @Min(1)
  private Integer requestsPerMinute;

  @JsonPropertyDescription("Tokens (input plus output) per minute the upstream allows.")
  @Min(1)
  private Integer tokensPerMinute;

  public Integer getRequestsPerMinute() {
    return requestsPerMinute;
  }

  public void setRequestsPerMinute(Integer requestsPerMinute) {
    this.requestsPerMinute = requestsPerMinute;
  }

  public Integer getTokensPerMinute() {
    return tokensPerMinute;
  }

  public void setTokensPerMinute(Integer tokensPerMinute) {
    this.tokensPerMinute = tokensPerMinute;
  }
}
