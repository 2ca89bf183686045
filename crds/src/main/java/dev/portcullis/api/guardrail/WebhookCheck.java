package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.Durations;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An external check: the gateway POSTs the content and the service answers whether it matches. */
@JsonClassDescription(
    "An external check: the gateway POSTs the content and the service answers whether it matches.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookCheck {

  @JsonPropertyDescription("The service URL.")
  @Required
  @Pattern(ValidationPatterns.HTTP_URL)
  @Size(max = 2048)
  private String url;

  @JsonPropertyDescription("How long to wait for the answer, e.g. 500ms. Absent: 1s.")
  @Pattern(Durations.PATTERN)
  private String timeout;

  @JsonPropertyDescription(
      "Open (let pass) or Closed (treat as matching) when the service fails or times out. Absent: Closed.")
  private FailureMode failureMode;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public FailureMode getFailureMode() {
    return failureMode;
  }

  public void setFailureMode(FailureMode failureMode) {
    this.failureMode = failureMode;
  }
}
