package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.Durations;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Retries of a failed attempt on the same target. */
@JsonClassDescription("Retries of a failed attempt on the same target.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Retry {

  @JsonPropertyDescription("Extra attempts after the first. 0 means no retry.")
  @Min(0)
  @Max(10)
  private Integer attempts;

  @JsonPropertyDescription(
      "Wait between attempts: exponential from base up to max, with jitter. Absent: base 200ms, max 5s.")
  private Backoff backoff;

  @JsonPropertyDescription("Upstream status codes worth retrying. Absent: 429, 502, 503.")
  @Size(max = 32)
  private List<@Min(100) @Max(599) Integer> onStatusCodes;

  @JsonPropertyDescription(
      "Whether to wait as long as an upstream Retry-After header says (up to maxRetryAfter). Absent: true.")
  private Boolean honorRetryAfter;

  @JsonPropertyDescription(
      "Longest Retry-After the gateway waits for; longer ones move on instead, e.g. 30s.")
  @Pattern(Durations.PATTERN)
  private String maxRetryAfter;

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public Backoff getBackoff() {
    return backoff;
  }

  public void setBackoff(Backoff backoff) {
    this.backoff = backoff;
  }

  public List<Integer> getOnStatusCodes() {
    return onStatusCodes;
  }

  public void setOnStatusCodes(List<Integer> onStatusCodes) {
    this.onStatusCodes = onStatusCodes;
  }

  public Boolean getHonorRetryAfter() {
    return honorRetryAfter;
  }

  public void setHonorRetryAfter(Boolean honorRetryAfter) {
    this.honorRetryAfter = honorRetryAfter;
  }

  public String getMaxRetryAfter() {
    return maxRetryAfter;
  }

  public void setMaxRetryAfter(String maxRetryAfter) {
    this.maxRetryAfter = maxRetryAfter;
  }
}
