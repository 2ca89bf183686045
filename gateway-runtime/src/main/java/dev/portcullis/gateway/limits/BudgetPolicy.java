package dev.portcullis.gateway.limits;

import dev.portcullis.api.snapshot.KeyConfig.Budget;
import dev.portcullis.gateway.cost.UsdAmount;

/**
 * A spend budget in nano-USD (integers, so Redis and Java add them exactly).
 *
 * @param block true: refuse once reached (Block); false: serve and flag (Warn)
 */
public record BudgetPolicy(long amountNanos, Budget.Period period, boolean block) {
  public static BudgetPolicy of(Budget budget) {
    return new BudgetPolicy(
        UsdAmount.toNanos(budget.amountUsd()),
        budget.period(),
        budget.action() == Budget.Action.BLOCK);
  }
}
