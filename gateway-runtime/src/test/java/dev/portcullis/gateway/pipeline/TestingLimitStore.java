package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.limits.BudgetPeriod;
import dev.portcullis.gateway.limits.CountedUsage;
import dev.portcullis.gateway.limits.Decision;
import dev.portcullis.gateway.limits.Demand;
import dev.portcullis.gateway.limits.InProcessLimitStore;
import dev.portcullis.gateway.limits.KeyUsage;
import dev.portcullis.gateway.limits.LimitStore;
import dev.portcullis.gateway.limits.Settlement;
import dev.portcullis.gateway.limits.Ticket;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-process limit store, keeping a log of every settlement it was given so tests can say a
 * request was settled exactly once, and how.
 */
public final class TestingLimitStore implements LimitStore {
  private final InProcessLimitStore store = new InProcessLimitStore();
  private final List<Settlement> settlements = new ArrayList<>();

  @Override
  public Decision reserve(Demand demand) {
    return store.reserve(demand);
  }

  @Override
  public void settle(Ticket ticket, Settlement settlement) {
    settlements.add(settlement);
    store.settle(ticket, settlement);
  }

  @Override
  public void record(Demand demand, Settlement settlement) {
    settlements.add(settlement);
    store.record(demand, settlement);
  }

  @Override
  public void addUsage(String subject, BudgetPeriod period, CountedUsage usage, long nowMillis) {
    store.addUsage(subject, period, usage, nowMillis);
  }

  @Override
  public KeyUsage usage(String subject, BudgetPeriod period) {
    return store.usage(subject, period);
  }

  @Override
  public void close() {}

  /** Every settlement and release, in order. */
  public List<Settlement> settlements() {
    return List.copyOf(settlements);
  }
}
