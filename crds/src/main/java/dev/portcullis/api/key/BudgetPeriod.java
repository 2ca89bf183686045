package dev.portcullis.api.key;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The period a budget applies to; spend resets at its start (UTC). */
public enum BudgetPeriod {
  /** Each calendar day. */
  @JsonProperty("Daily")
  DAILY("Daily"),
  /** Each ISO week, from Monday. */
  @JsonProperty("Weekly")
  WEEKLY("Weekly"),
  /** Each calendar month. */
  @JsonProperty("Monthly")
  MONTHLY("Monthly"),
  /** The key's whole life; never resets. */
  @JsonProperty("Total")
  TOTAL("Total");

  private final String wireName;

  BudgetPeriod(String wireName) {
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
  public static java.util.Optional<BudgetPeriod> fromWireName(String wireName) {
    for (BudgetPeriod value : values()) {
      if (value.wireName.equals(wireName)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
