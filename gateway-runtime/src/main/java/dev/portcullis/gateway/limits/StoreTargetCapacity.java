package dev.portcullis.gateway.limits;

import dev.portcullis.api.snapshot.KeyConfig.Budget.Period;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.routing.TargetCapacity;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Upstream quotas ({@code targets[].limits}) kept in a {@link LimitStore}, fleet-wide when the
 * store is Redis. Subject {@code tg:<namespace>/<route>/<target>}. A store that cannot be reached
 * never blocks traffic to a target: its quota then holds per gateway (fail open).
 */
public final class StoreTargetCapacity implements TargetCapacity {
  private static final long LEASE_MILLIS = Duration.ofMinutes(10).toMillis();

  private final LimitStore store;
  private final Clock clock;

  public StoreTargetCapacity(LimitStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public static String subject(RouteConfig route, TargetConfig target) {
    return "tg:" + route.id().qualifiedName() + "/" + target.name();
  }

  @Override
  public Optional<Reservation> tryReserve(
      RouteConfig route, TargetConfig target, long estimatedTokens) {
    LimitPolicy policy = LimitPolicy.of(target.limits());
    if (!policy.checksAnything()) {
      return UNLIMITED.tryReserve(route, target, estimatedTokens);
    }
    long now = clock.millis();
    Demand demand =
        new Demand(
            subject(route, target),
            policy,
            estimatedTokens,
            0,
            BudgetPeriod.containing(Period.MONTHLY, clock.instant()),
            now,
            LEASE_MILLIS,
            true);
    Decision decision;
    try {
      decision = store.reserve(demand);
    } catch (StoreUnavailableException e) {
      return UNLIMITED.tryReserve(route, target, estimatedTokens);
    }
    if (!decision.admitted()) {
      return Optional.empty();
    }
    return Optional.of(new StoreReservation(store, decision.ticket(), clock));
  }

  /** Settles or releases once; later calls do nothing. */
  private static final class StoreReservation implements Reservation {
    private final LimitStore store;
    private final Ticket ticket;
    private final Clock clock;
    private final AtomicBoolean done = new AtomicBoolean();

    StoreReservation(LimitStore store, Ticket ticket, Clock clock) {
      this.store = store;
      this.ticket = ticket;
      this.clock = clock;
    }

    @Override
    public void settle(long actualTokens) {
      if (done.compareAndSet(false, true)) {
        finish(new Settlement(true, actualTokens, 0, 0, clock.millis()));
      }
    }

    @Override
    public void release() {
      if (done.compareAndSet(false, true)) {
        finish(Settlement.released(clock.millis()));
      }
    }

    private void finish(Settlement settlement) {
      try {
        store.settle(ticket, settlement);
      } catch (StoreUnavailableException e) {
        // The reservation expires with its window.
      }
    }
  }
}
