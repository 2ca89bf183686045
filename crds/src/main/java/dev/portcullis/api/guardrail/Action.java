package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a check does when it matches. */
public enum Action {
  /**
   * Refuse the request or response with an error naming policy and check, never the matched text.
   */
  @JsonProperty("Deny")
  DENY("Deny"),
  /** Mask the matched text and continue. */
  @JsonProperty("Redact")
  REDACT("Redact"),
  /** Continue; report in the x-portcullis-guardrails header, the log and metrics. */
  @JsonProperty("Flag")
  FLAG("Flag");

  private final String wireName;

  Action(String wireName) {
    this.wireName = wireName;
  }

  /** The spelling used in resources, e.g. in YAML. */
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }

  /** The constant spelled {@code wireName} in resources, if any. */
  public static java.util.Optional<Action> fromWireName(String wireName) {
    for (Action value : values()) {
      if (value.wireName.equals(wireName)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
