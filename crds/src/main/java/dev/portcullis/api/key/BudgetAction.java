package dev.portcullis.api.key;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happens when a key's spend reaches its budget. */
public enum BudgetAction {
  /** Refuse further requests until the period resets. */
  @JsonProperty("Block")
  BLOCK("Block"),
  /** Serve on; report the overrun in status, headers and metrics. */
  @JsonProperty("Warn")
  WARN("Warn");

  private final String wireName;

  BudgetAction(String wireName) {
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
  public static java.util.Optional<BudgetAction> fromWireName(String wireName) {
    for (BudgetAction value : values()) {
      if (value.wireName.equals(wireName)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
