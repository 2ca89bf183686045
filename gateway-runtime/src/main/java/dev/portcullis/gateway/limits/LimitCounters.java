package dev.portcullis.gateway.limits;

import java.util.concurrent.atomic.LongAdder;

/** Counts what the limits did, until metrics are wired (each becomes a Micrometer counter). */
public final class LimitCounters {
  private final LongAdder storeUnavailable = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder budgetWarnings = new LongAdder();
  private final LongAdder settleFailures = new LongAdder();

  /** Decisions made without the shared store because it could not be reached. */
  public long storeUnavailable() {
    return storeUnavailable.sum();
  }

  /** Requests refused by a key's limits or budget. */
  public long refused() {
    return refused.sum();
  }

  /** Requests served past a Warn budget. */
  public long budgetWarnings() {
    return budgetWarnings.sum();
  }

  /** Settlements that could not reach the shared store (their reservations expire instead). */
  public long settleFailures() {
    return settleFailures.sum();
  }

  void storeUnavailableOnce() {
    storeUnavailable.increment();
  }

  void settleFailedOnce() {
    settleFailures.increment();
  }

  public void refusedOnce() {
    refused.increment();
  }

  public void budgetWarningOnce() {
    budgetWarnings.increment();
  }
}
