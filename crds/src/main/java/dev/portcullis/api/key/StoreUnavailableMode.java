package dev.portcullis.api.key;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a gateway does with a key's limits and budget when the shared store (Redis) cannot be
 * reached.
 */
public enum StoreUnavailableMode {
  /** Serve, enforcing limits per gateway pod only. */
  @JsonProperty("FailOpen")
  FAIL_OPEN("FailOpen"),
  /** Refuse requests until the store is back. */
  @JsonProperty("FailClosed")
  FAIL_CLOSED("FailClosed");

  private final String wireName;

  StoreUnavailableMode(String wireName) {
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
  public static java.util.Optional<StoreUnavailableMode> fromWireName(String wireName) {
    for (StoreUnavailableMode value : values()) {
      if (value.wireName.equals(wireName)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
