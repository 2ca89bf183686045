package dev.portcullis.gateway.cost;

import java.math.BigDecimal;

/**
 * What a model costs, in USD per million tokens.
 *
 * @param cachedInputPerMTok input served from the provider's prompt cache; the input price when the
 *     provider has no cheaper cached price
 */
public record Price(
    BigDecimal inputPerMTok, BigDecimal outputPerMTok, BigDecimal cachedInputPerMTok) {
  public static final Price FREE = new Price(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** The cost of the given tokens in nano-USD, rounded half-up once for the whole request. */
  public long costNanos(long uncachedInput, long cachedInput, long output) {
    BigDecimal usd =
        inputPerMTok
            .multiply(BigDecimal.valueOf(uncachedInput))
            .add(cachedInputPerMTok.multiply(BigDecimal.valueOf(cachedInput)))
            .add(outputPerMTok.multiply(BigDecimal.valueOf(output)))
            .divide(MILLION);
    return UsdAmount.toNanos(usd);
  }

  public boolean isFree() {
    return inputPerMTok.signum() == 0 && outputPerMTok.signum() == 0;
  }
}
