package dev.portcullis.gateway.cost;

import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.provider.Usage;
import java.math.BigDecimal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Prices a call: the target's {@code pricing} fields where set, else the built-in table for the
 * upstream model. A model in neither costs nothing (logged once), so a budget only counts priced
 * models.
 */
public final class CostCalculator {
  private static final Logger LOG = Logger.getLogger(CostCalculator.class.getName());

  private final PriceTable table;
  private final Set<String> unpricedLogged = ConcurrentHashMap.newKeySet();

  public CostCalculator(PriceTable table) {
    this.table = table;
  }

  /** The price of a target serving {@code model} (its upstream model name). */
  public Price price(TargetConfig target, String model) {
    Price listed = table.lookup(model).orElse(null);
    TargetConfig.Pricing own = target.pricing();
    BigDecimal input = pick(own == null ? null : own.inputPerMTok(), listed, 0);
    BigDecimal output = pick(own == null ? null : own.outputPerMTok(), listed, 1);
    // A target that sets its own input price but no cached price gets no cache discount.
    BigDecimal cached =
        own != null && own.cachedInputPerMTok() != null
            ? own.cachedInputPerMTok()
            : own != null && own.inputPerMTok() != null
                ? own.inputPerMTok()
                : listed == null ? BigDecimal.ZERO : listed.cachedInputPerMTok();
    if (listed == null
        && (own == null || own.inputPerMTok() == null)
        && unpricedLogged.add(model == null ? "" : model)) {
      LOG.warning(
          "no price for model '"
              + model
              + "' (target "
              + target.name()
              + "); it is counted as free. Set the target's pricing.");
    }
    return new Price(input, output, cached);
  }

  private static BigDecimal pick(BigDecimal own, Price listed, int which) {
    if (own != null) {
      return own;
    }
    if (listed == null) {
      return BigDecimal.ZERO;
    }
    return which == 0 ? listed.inputPerMTok() : listed.outputPerMTok();
  }

  /** The cost of real usage in nano-USD. */
  public static long costNanos(Price price, Usage usage) {
    return price.costNanos(
        usage.uncachedInputTokens(), usage.cachedInputTokens(), usage.outputTokens());
  }
}
