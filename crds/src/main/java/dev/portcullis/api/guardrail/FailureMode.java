package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a check that cannot decide (timeout, error) does. */
public enum FailureMode {
  /** Let the content pass. */
  @JsonProperty("Open")
  OPEN("Open"),
  /** Treat the content as matching. */
  @JsonProperty("Closed")
  CLOSED("Closed");

  private final String wireName;

  FailureMode(String wireName) {
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
  public static java.util.Optional<FailureMode> fromWireName(String wireName) {
    for (FailureMode value : values()) {
      if (value.wireName.equals(wireName)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
