package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Which failures make the gateway move on to the next target. */
@JsonClassDescription("Which failures make the gateway move on to the next target.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FallbackOn {

  @JsonPropertyDescription("Upstream HTTP status codes that count as failures.")
  @Size(max = 32)
  private List<@Min(100) @Max(599) Integer> statusCodes;

  @JsonPropertyDescription("Whether a timeout (connect, first byte or total) counts as a failure.")
  private Boolean timeouts;

  @JsonPropertyDescription("Whether a refused, reset or dropped connection counts as a failure.")
  private Boolean connectionErrors;

  public List<Integer> getStatusCodes() {
    return statusCodes;
  }

  public void setStatusCodes(List<Integer> statusCodes) {
    this.statusCodes = statusCodes;
  }

  public Boolean getTimeouts() {
    return timeouts;
  }

  public void setTimeouts(Boolean timeouts) {
    this.timeouts = timeouts;
  }

  public Boolean getConnectionErrors() {
    return connectionErrors;
  }

  public void setConnectionErrors(Boolean connectionErrors) {
    this.connectionErrors = connectionErrors;
  }
}
