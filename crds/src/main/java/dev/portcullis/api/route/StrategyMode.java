package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a route picks among its targets. */
public enum StrategyMode {
  /** Always the first target. */
  @JsonProperty("Single")
  SINGLE("Single"),
  /** Spread requests over targets by weight. */
  @JsonProperty("LoadBalance")
  LOAD_BALANCE("LoadBalance"),
  /** Targets in order; move on when one fails as fallbackOn says. */
  @JsonProperty("Fallback")
  FALLBACK("Fallback"),
  /** The target of the first condition matching the request, else the default. */
  @JsonProperty("Conditional")
  CONDITIONAL("Conditional"),
  /** Prefer the target with the best observed latency, error rate and cost. */
  @JsonProperty("Adaptive")
  ADAPTIVE("Adaptive");

  private final String wireName;

  StrategyMode(String wireName) {
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
  public static java.util.Optional<StrategyMode> fromWireName(String wireName) {
    for (StrategyMode value : values()) {
      if (value.wireName.equals(wireName)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
