package dev.portcullis.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One aspect of a resource's state, in the Kubernetes convention (type, status, reason, message).
 */
@JsonClassDescription(
    "One aspect of a resource's state, in the Kubernetes convention (type, status, reason, message).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

  /** The spec is syntactically and semantically valid. */
  public static final String ACCEPTED = "Accepted";

  /** Every Secret, policy, template and route the resource names was found and is usable. */
  public static final String RESOLVED_REFS = "ResolvedRefs";

  /** The gateway fleet has applied a snapshot that contains this generation. */
  public static final String PROGRAMMED = "Programmed";

  /** Accepted, ResolvedRefs and Programmed are all True (for kstatus-based tools). */
  public static final String READY = "Ready";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  @JsonPropertyDescription(
      "Condition type: Accepted (the spec is valid), ResolvedRefs (Secrets, policies, templates and routes it names were found), Programmed (the gateway fleet applied a snapshot with this generation) or Ready (all of them).")
  @Required
  @Size(min = 1, max = 316)
  private String type;

  @JsonPropertyDescription("True, False or Unknown.")
  @Required
  @Pattern("^(True|False|Unknown)$")
  private String status;

  @JsonPropertyDescription(
      "A CamelCase word for programs saying why the condition has this status.")
  @Size(max = 1024)
  private String reason;

  @JsonPropertyDescription("What a person should know or do, e.g. which Secret is missing.")
  @Size(max = 32768)
  private String message;

  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  private String lastTransitionTime;

  @JsonPropertyDescription("The metadata.generation this condition was computed from.")
  @Min(0)
  private Long observedGeneration;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Condition() {}

  public Condition(String type, String status, String reason, String message) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
  }

  /** Whether this condition's status is {@code True}. */
  @JsonIgnore
  public boolean isTrue() {
    return TRUE.equals(status);
  }

  @Override
  public String toString() {
    return type + "=" + status + (reason == null ? "" : " (" + reason + ")");
  }
}
