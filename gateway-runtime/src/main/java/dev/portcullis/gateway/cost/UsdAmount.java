package dev.portcullis.gateway.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money as whole nano-USD (10⁻⁹ USD): exact to add in Java and in Redis, fine enough that a single
 * token of the cheapest model is not rounded away entirely.
 */
public final class UsdAmount {
  private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);

  private UsdAmount() {}

  /** Rounded half-up to the nearest nano-USD. */
  public static long toNanos(BigDecimal usd) {
    return usd.multiply(NANOS_PER_USD).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  /** A plain decimal string, e.g. {@code 0.00125}; {@code 0} for nothing. */
  public static String format(long nanos) {
    if (nanos == 0) {
      return "0";
    }
    return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
  }
}
