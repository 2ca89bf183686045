package dev.portcullis.gateway.telemetry;

import dev.portcullis.gateway.limits.BudgetPeriod;
import dev.portcullis.gateway.limits.CountedUsage;
import dev.portcullis.gateway.limits.Decision;
import dev.portcullis.gateway.limits.Demand;
import dev.portcullis.gateway.limits.KeyUsage;
import dev.portcullis.gateway.limits.LimitStore;
import dev.portcullis.gateway.limits.Settlement;
import dev.portcullis.gateway.limits.Ticket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A {@link LimitStore} that times every call ({@code portcullis_limit_store_seconds}) and counts
 * the calls that failed ({@code portcullis_limit_store_errors_total}), by operation. Costs two
 * clock reads and a histogram update per call; the meters are looked up once.
 */
final class ObservedLimitStore implements LimitStore {
  private final LimitStore delegate;
  private final Timer reserve;
  private final Timer settle;
  private final Timer record;
  private final Timer usage;
  private final Counter reserveErrors;
  private final Counter settleErrors;
  private final Counter recordErrors;
  private final Counter usageErrors;

  ObservedLimitStore(LimitStore delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.reserve = timer(registry, "reserve");
    this.settle = timer(registry, "settle");
    this.record = timer(registry, "record");
    this.usage = timer(registry, "usage");
    this.reserveErrors = errors(registry, "reserve");
    this.settleErrors = errors(registry, "settle");
    this.recordErrors = errors(registry, "record");
    this.usageErrors = errors(registry, "usage");
  }

  private static Timer timer(MeterRegistry registry, String operation) {
    return Timer.builder("portcullis.limit.store")
        .description("Calls to the limit store (Redis or in-process), by operation")
        .tag("operation", operation)
        .serviceLevelObjectives(
            java.time.Duration.ofNanos(250_000),
            java.time.Duration.ofMillis(1),
            java.time.Duration.ofMillis(5),
            java.time.Duration.ofMillis(25),
            java.time.Duration.ofMillis(100),
            java.time.Duration.ofMillis(250),
            java.time.Duration.ofSeconds(1))
        .register(registry);
  }

  private static Counter errors(MeterRegistry registry, String operation) {
    return Counter.builder("portcullis.limit.store.errors")
        .description("Limit store calls that failed (the store could not be reached)")
        .tag("operation", operation)
        .register(registry);
  }

  @Override
  public Decision reserve(Demand demand) {
    long start = System.nanoTime();
    try {
      return delegate.reserve(demand);
    } catch (RuntimeException e) {
      reserveErrors.increment();
      throw e;
    } finally {
      reserve.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void settle(Ticket ticket, Settlement settlement) {
    long start = System.nanoTime();
    try {
      delegate.settle(ticket, settlement);
    } catch (RuntimeException e) {
      settleErrors.increment();
      throw e;
    } finally {
      settle.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void addUsage(String subject, BudgetPeriod period, CountedUsage usage, long nowMillis) {
    // Rare (after an outage): timed and counted with the ledger writes it stands in for.
    long start = System.nanoTime();
    try {
      delegate.addUsage(subject, period, usage, nowMillis);
    } catch (RuntimeException e) {
      recordErrors.increment();
      throw e;
    } finally {
      record.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void record(Demand demand, Settlement settlement) {
    long start = System.nanoTime();
    try {
      delegate.record(demand, settlement);
    } catch (RuntimeException e) {
      recordErrors.increment();
      throw e;
    } finally {
      record.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public KeyUsage usage(String subject, BudgetPeriod period) {
    long start = System.nanoTime();
    try {
      return delegate.usage(subject, period);
    } catch (RuntimeException e) {
      usageErrors.increment();
      throw e;
    } finally {
      usage.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public boolean sharedAcrossGateways() {
    return delegate.sharedAcrossGateways();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
