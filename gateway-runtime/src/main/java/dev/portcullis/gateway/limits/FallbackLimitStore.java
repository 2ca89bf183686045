package dev.portcullis.gateway.limits;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * the store that issued them. Usage served on local counters during an outage (spend, requests,
 * tokens) is summed per subject and period and added to the shared ledger once the shared store
 * answers again, so budgets and {@code VirtualKey.status.usage} miss nothing the outage served.
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
  private final Map<Owed, CountedUsage> owed = new ConcurrentHashMap<>();

  /** Requests taken out of {@link #owed} whose addition to the shared ledger has not returned. */
  private final AtomicLong repayingRequests = new AtomicLong();

  private final AtomicBoolean repaying = new AtomicBoolean();

  /** A subject's period whose locally counted usage the shared ledger still lacks. */
  private record Owed(String subject, BudgetPeriod period) {}

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
      owe(ticket.demand(), settlement);
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
    owe(demand, settlement);
  }

  @Override
  public void addUsage(String subject, BudgetPeriod period, CountedUsage usage, long nowMillis) {
    shared.addUsage(subject, period, usage, nowMillis);
  }

  /**
   * Usage the shared ledger has not seen yet, including what is being added right now (for tests
   * and metrics). Reads the owed map before the in-flight count: a repayment raises the count
   * before it takes its entry out of the map, so no moment reads as zero while it is underway.
   */
  public long owedRequests() {
    long waiting = owed.values().stream().mapToLong(CountedUsage::requests).sum();
    return waiting + repayingRequests.get();
  }

  private void owe(Demand demand, Settlement settlement) {
    if (settlement.served()) {
      owed.merge(
          new Owed(demand.subject(), demand.ledgerPeriod()),
          CountedUsage.NONE.plus(settlement),
          CountedUsage::plus);
    }
  }

  /**
   * Adds what was counted locally to the shared ledger, off the request thread; stops at the first
   * failure and keeps the rest for the next recovery.
   */
  private void repay() {
    if (owed.isEmpty() || !repaying.compareAndSet(false, true)) {
      return;
    }
    Thread.ofVirtual()
        .name("limit-store-repay")
        .start(
            () -> {
              try {
                for (Owed o : owed.keySet()) {
                  CountedUsage[] taken = new CountedUsage[1];
                  owed.computeIfPresent(
                      o,
                      (key, usage) -> {
                        repayingRequests.addAndGet(usage.requests());
                        taken[0] = usage;
                        return null;
                      });
                  CountedUsage usage = taken[0];
                  if (usage == null) {
                    continue;
                  }
                  try {
                    shared.addUsage(o.subject(), o.period(), usage, System.currentTimeMillis());
                  } catch (RuntimeException e) {
                    owed.merge(o, usage, CountedUsage::plus);
                    failed(
                        e instanceof StoreUnavailableException u
                            ? u
                            : new StoreUnavailableException(e.getMessage(), e));
                    return;
                  } finally {
                    repayingRequests.addAndGet(-usage.requests());
                  }
                }
                LOG.info("usage counted locally during the outage was added to the shared store");
              } finally {
                repaying.set(false);
              }
            });
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
    repay();
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
