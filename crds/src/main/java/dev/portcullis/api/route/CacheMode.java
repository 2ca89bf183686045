package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether and how responses are cached. */
public enum CacheMode {
  /** No caching. */
  @JsonProperty("Disabled")
  DISABLED("Disabled"),
  /** Reuse a response for a byte-identical normalized request. */
  @JsonProperty("Exact")
  EXACT("Exact"),
  /** Reuse a response for a sufficiently similar request. */
  @JsonProperty("Semantic")
  SEMANTIC("Semantic");

  private final String wireName;

  CacheMode(String wireName) {
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
  public static java.util.Optional<CacheMode> fromWireName(String wireName) {
    for (CacheMode value : values()) {
      if (value.wireName.equals(wireName)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
