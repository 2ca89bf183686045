package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.limits.LimitCounters;
import dev.portcullis.gateway.limits.LimitStore;
import dev.portcullis.gateway.limits.StoreUnavailableException;
import dev.portcullis.gateway.limits.UsageLedger;
import dev.portcullis.gateway.prompt.PromptResults;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The gateway's Prometheus registry and everything in it that is not about one request: JVM and
 * process metrics, the applied configuration, the limit store, the fleet connection, in-flight
 * requests and target cooldowns. Served on the admin port's {@code /metrics}. The per-request
 * metrics ({@link RequestMetrics}) live in the same registry.
 */
public final class GatewayMetrics implements AutoCloseable {
  /** The Prometheus text exposition format served by {@link #scrape()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
  private final RequestMetrics requests = new RequestMetrics(registry);
  private final AtomicReference<Meter> configInfo = new AtomicReference<>();
  private final AtomicLong lastApplyMillis = new AtomicLong();
  private final AtomicInteger routes = new AtomicInteger();
  private final AtomicInteger keys = new AtomicInteger();
  private final Counter rejections;
  private volatile CooldownView cooldowns = (route, target) -> false;
  private volatile UsageLedger ledger;
  private List<Meter> budgetGauges = List.of();
  private volatile Runnable beforeScrape = () -> {};

  public GatewayMetrics(Clock clock) {
    this.clock = clock;
    // Two of Micrometer's process metrics break Prometheus' naming rules (promtool rejects them):
    // CPU time in nanoseconds is served in seconds instead, and the CPU count is renamed.
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count")
                    ? id.withName("system.cpu.processors")
                    : id;
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    heapPressure.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
          .description("CPU time used by the gateway process")
          .baseUnit("seconds")
          .register(registry);
    }
    Gauge.builder("portcullis.config.last.apply.timestamp", lastApplyMillis, m -> m.get() / 1000.0)
        .description("When the applied configuration was applied (Unix time); 0 before any")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("portcullis.config.routes", routes, AtomicInteger::get)
        .description("Routes in the applied configuration")
        .register(registry);
    Gauge.builder("portcullis.config.keys", keys, AtomicInteger::get)
        .description("VirtualKeys in the applied configuration")
        .register(registry);
    this.rejections =
        Counter.builder("portcullis.config.rejections")
            .description("Configurations this gateway could not apply (it kept the previous one)")
            .register(registry);
  }

  /** The registry, for meters of other parts of the gateway. */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The current values in the Prometheus text format, after every request finished so far is in
   * them (the per-request metrics are recorded off the requests' threads).
   */
  public String scrape() {
    beforeScrape.run();
    return registry.scrape();
  }

  /** What {@link #scrape()} waits for first: the telemetry writer's queue to be written. */
  void beforeScrape(Runnable barrier) {
    this.beforeScrape = barrier;
  }

  Clock clock() {
    return clock;
  }

  RequestMetrics requests() {
    return requests;
  }

  /**
   * A new configuration is in force: its version, time and size, the label catalog of request
   * metrics, and one cooldown gauge per target of a route with a cooldown.
   */
  public void configurationApplied(Snapshot snapshot) {
    requests.configurationApplied(snapshot);
    Meter info =
        Gauge.builder("portcullis.config.info", () -> 1)
            .description("The applied configuration; its version is the label")
            .tag("version", snapshot.version())
            .register(registry);
    Meter previous = configInfo.getAndSet(info);
    if (previous != null && !previous.getId().equals(info.getId())) {
      registry.remove(previous);
    }
    lastApplyMillis.set(clock.millis());
    routes.set(snapshot.routes().size());
    keys.set(snapshot.keys().size());
    budgetGauges(snapshot);
    for (RouteConfig route : snapshot.routes()) {
      if (route.cooldown() == null) {
        continue;
      }
      String routeLabel = route.id().qualifiedName();
      for (TargetConfig target : route.targets()) {
        String targetName = target.name();
        Gauge.builder(
                "portcullis.target.cooldown",
                this,
                m -> m.cooldowns.coolingDown(routeLabel, targetName) ? 1 : 0)
            .description("1 while a target is skipped after repeated failures (or probed)")
            .tag(Labels.NAMESPACE, route.id().namespace())
            .tag(Labels.ROUTE, routeLabel)
            .tag(Labels.TARGET, targetName)
            .register(registry);
      }
    }
  }

  /**
   * One {@code portcullis_key_budget_spent_ratio} gauge per key with a budget, replacing those of
   * the previous configuration (a gauge keeps the key it was built with, so none is reused).
   */
  private synchronized void budgetGauges(Snapshot snapshot) {
    for (Meter m : budgetGauges) {
      registry.remove(m);
    }
    List<Meter> gauges = new ArrayList<>();
    for (KeyConfig key : snapshot.keys()) {
      if (key.budget() == null || key.budget().amountUsd().signum() <= 0) {
        continue;
      }
      double amountNanos = key.budget().amountUsd().doubleValue() * 1e9;
      gauges.add(
          Gauge.builder(
                  "portcullis.key.budget.spent.ratio", this, m -> m.spentNanos(key) / amountNanos)
              .description(
                  "Spent share of a VirtualKey's budget in the current period (read at scrape"
                      + " time; NaN while the limit store cannot be reached)")
              .tag(Labels.NAMESPACE, key.id().namespace())
              .tag(Labels.KEY, key.id().name())
              .strongReference(true)
              .register(registry));
    }
    budgetGauges = gauges;
  }

  private double spentNanos(KeyConfig key) {
    UsageLedger current = ledger;
    if (current == null) {
      return Double.NaN;
    }
    try {
      return current.usage(key).spentNanos();
    } catch (StoreUnavailableException e) {
      return Double.NaN;
    }
  }

  /** Where the budget gauges read each key's spend (at scrape time). */
  public void observeBudgets(UsageLedger usage) {
    this.ledger = usage;
  }

  /** A configuration was refused; the previous one keeps serving. */
  public void configurationRejected() {
    rejections.increment();
  }

  /** Where the cooldown gauges read the circuit breakers. */
  public void observeCooldowns(CooldownView view) {
    this.cooldowns = view;
  }

  /**
   * The prompt template versions' results, as {@code portcullis_prompt_*} ({@link PromptMeters}).
   */
  public void observePrompts(PromptResults results) {
    results.observe(new PromptMeters(registry));
  }

  /** Requests being served right now. */
  public void observeInFlight(IntSupplier inFlight) {
    Gauge.builder("portcullis.requests.in.flight", inFlight, s -> s.getAsInt())
        .description("Requests being served now")
        // The supplier is often a lambda only this gauge holds: a weak reference would read NaN.
        .strongReference(true)
        .register(registry);
  }

  /** Fleet mode: whether the configuration stream to the operator is up. */
  public void observeFleetConnection(BooleanSupplier connected) {
    Gauge.builder("portcullis.fleet.connected", connected, c -> c.getAsBoolean() ? 1 : 0)
        .description("1 while this gateway holds a configuration stream to the operator")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Times and counts the calls to {@code store}, and exposes what the limits did ({@code counters}:
   * decisions made without the shared store, failed settlements, Warn budgets exceeded).
   */
  public LimitStore observe(LimitStore store, LimitCounters counters) {
    FunctionCounter.builder(
            "portcullis.limit.store.unavailable", counters, LimitCounters::storeUnavailable)
        .description("Limit decisions made locally because the shared store could not be reached")
        .register(registry);
    FunctionCounter.builder(
            "portcullis.limit.store.settle.failures", counters, LimitCounters::settleFailures)
        .description("Settlements that could not reach the shared store")
        .register(registry);
    FunctionCounter.builder("portcullis.budget.warnings", counters, LimitCounters::budgetWarnings)
        .description("Requests served past a Warn budget")
        .register(registry);
    return new ObservedLimitStore(store, registry);
  }

  @Override
  public void close() {
    gc.close();
    heapPressure.close();
    registry.close();
  }
}
