package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which side of a request a check inspects. */
public enum Stage {
  /** The request, before it goes upstream. */
  @JsonProperty("Input")
  INPUT("Input"),
  /** The response, before it reaches the client. */
  @JsonProperty("Output")
  OUTPUT("Output");

  private final String wireName;

  Stage(String wireName) {
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
  public static java.util.Optional<Stage> fromWireName(String wireName) {
    for (Stage value : values()) {
      if (value.wireName.equals(wireName)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
