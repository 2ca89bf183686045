package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the access log records for a route. */
@JsonClassDescription("What the access log records for a route.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Logging {

  @JsonPropertyDescription(
      "Whether access log lines include (redacted) request and response bodies. Absent: false.")
  private Boolean bodies;

  public Boolean getBodies() {
    return bodies;
  }

  public void setBodies(Boolean bodies) {
    this.bodies = bodies;
  }
}
