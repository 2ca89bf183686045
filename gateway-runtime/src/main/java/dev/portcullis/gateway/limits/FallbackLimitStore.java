package dev.portcullis.gateway.limits;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shared store, with a local one for when it cannot be reached. After a failure the shared
 * store is left alone for {@code retryAfter}, so requests meanwhile do not each wait for a timeout;
 * the first request after that tries it again, and counting resumes there when it answers.
 *
 * <p>While the shared store is down a fail-open demand is decided by the local counters (limits
 * then hold per gateway, not fleet-wide) and a fail-closed one is refused. Tickets are settled by
 * the store that issued them; usage counted locally during an outage is not copied back.
 */
public final class FallbackLimitStore implements LimitStore {
  private static final Logger LOG = Logger.getLogger(FallbackLimitStore.class.getName());

  private final LimitStore shared;
  private final LimitStore local;
  private final LimitCounters counters;
  private final long retryAfterNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong downUntil = new AtomicLong(Long.MIN_VALUE);
  private volatile boolean down;

  public FallbackLimitStore(
      LimitStore shared, LimitStore local, LimitCounters counters, Duration retryAfter) {
    this(shared, local, counters, retryAfter, System::nanoTime);
  }

  FallbackLimitStore(
      LimitStore shared,
      LimitStore local,
      LimitCounters counters,
      Duration retryAfter,
      LongSupplier nanoTime) {
    this.shared = shared;
    this.local = local;
    this.counters = counters;
    this.retryAfterNanos = retryAfter.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public Decision reserve(Demand demand) {
    if (sharedWorthTrying()) {
      try {
        Decision decision = shared.reserve(demand);
        recovered();
        return decision;
      } catch (StoreUnavailableException e) {
        failed(e);
      }
    }
    counters.storeUnavailableOnce();
    if (!demand.failOpen()) {
      throw new StoreUnavailableException("the shared limit store is unavailable", null);
    }
    return local.reserve(demand);
  }

  @Override
  public void settle(Ticket ticket, Settlement settlement) {
    if (ticket.store() != this && ticket.store() != shared) {
      ticket.store().settle(ticket, settlement);
      return;
    }
    try {
      shared.settle(ticket, settlement);
      recovered();
    } catch (StoreUnavailableException e) {
      // The reservation runs out by itself: its window second, lease and period expire.
      counters.settleFailedOnce();
      failed(e);
    }
  }

  @Override
  public void record(Demand demand, Settlement settlement) {
    if (sharedWorthTrying()) {
      try {
        shared.record(demand, settlement);
        recovered();
        return;
      } catch (StoreUnavailableException e) {
        failed(e);
      }
    }
    counters.settleFailedOnce();
    local.record(demand, settlement);
  }

  @Override
  public boolean sharedAcrossGateways() {
    return true;
  }

  @Override
  public KeyUsage usage(String subject, BudgetPeriod period) {
    return shared.usage(subject, period);
  }

  /** Whether the shared store answered the last time it was asked. */
  public boolean sharedAvailable() {
    return !down;
  }

  private boolean sharedWorthTrying() {
    return !down || nanoTime.getAsLong() - downUntil.get() >= 0;
  }

  private void failed(StoreUnavailableException e) {
    downUntil.set(nanoTime.getAsLong() + retryAfterNanos);
    if (!down) {
      down = true;
      LOG.log(Level.WARNING, "shared limit store unavailable: " + e.getMessage());
    }
  }

  private void recovered() {
    if (down) {
      down = false;
      LOG.info("shared limit store available again");
    }
  }

  @Override
  public void close() {
    try {
      shared.close();
    } finally {
      local.close();
    }
  }
}
