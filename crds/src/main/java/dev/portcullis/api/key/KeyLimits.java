package dev.portcullis.api.key;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Rate and concurrency limits of a key; absent fields are unlimited. */
@JsonClassDescription("Rate and concurrency limits of a key; absent fields are unlimited.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyLimits {

  @JsonPropertyDescription("Requests per minute.")
  @Min(1)
  private Integer requestsPerMinute;

  @JsonPropertyDescription("Tokens (input plus output) per minute.")
  @Min(1)
  private Integer tokensPerMinute;

  @JsonPropertyDescription("Requests in flight at once.")
  @Min(1)
  private Integer maxConcurrent;

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

  public Integer getMaxConcurrent() {
    return maxConcurrent;
  }

  public void setMaxConcurrent(Integer maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }
}
