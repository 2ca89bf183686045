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
import java.util.function.Supplier;

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
    return observe(reserve, reserveErrors, () -> delegate.reserve(demand));
  }

  @Override
  public void settle(Ticket ticket, Settlement settlement) {
    observe(settle, settleErrors, () -> delegate.settle(ticket, settlement));
  }

  @Override
  public void addUsage(String subject, BudgetPeriod period, CountedUsage usage, long nowMillis) {
    // Rare (after an outage): timed and counted with the ledger writes it stands in for.
    observe(record, recordErrors, () -> delegate.addUsage(subject, period, usage, nowMillis));
  }

  @Override
  public void record(Demand demand, Settlement settlement) {
    observe(record, recordErrors, () -> delegate.record(demand, settlement));
  }

  @Override
  public KeyUsage usage(String subject, BudgetPeriod period) {
    return observe(usage, usageErrors, () -> delegate.usage(subject, period));
  }

  /** One store call, timed; a failure counted and rethrown. */
  private static <T> T observe(Timer timer, Counter errors, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } catch (RuntimeException e) {
      errors.increment();
      throw e;
    } finally {
      timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private static void observe(Timer timer, Counter errors, Runnable call) {
    observe(
        timer,
        errors,
        () -> {
          call.run();
          return null;
        });
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
