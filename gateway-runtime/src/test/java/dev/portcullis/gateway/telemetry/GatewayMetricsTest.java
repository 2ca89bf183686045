package dev.portcullis.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.limits.BudgetPeriod;
import dev.portcullis.gateway.limits.Decision;
import dev.portcullis.gateway.limits.Demand;
import dev.portcullis.gateway.limits.KeyUsage;
import dev.portcullis.gateway.limits.LimitCounters;
import dev.portcullis.gateway.limits.LimitStore;
import dev.portcullis.gateway.limits.Settlement;
import dev.portcullis.gateway.limits.StoreUnavailableException;
import dev.portcullis.gateway.limits.Ticket;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  final TelemetryFixture f = new TelemetryFixture();

  @AfterEach
  void close() {
    f.close();
  }

  PrometheusSamples scrape() {
    return PrometheusSamples.parse(f.metrics.scrape());
  }

  /** A store that is down: every call fails as Redis does when it cannot be reached. */
  static final class UnreachableStore implements LimitStore {
    @Override
    public Decision reserve(Demand demand) {
      throw new StoreUnavailableException("connection refused", null);
    }

    @Override
    public void settle(Ticket ticket, Settlement settlement) {
      throw new StoreUnavailableException("connection refused", null);
    }

    @Override
    public void record(Demand demand, Settlement settlement) {}

    @Override
    public void addUsage(
        String subject,
        BudgetPeriod period,
        dev.portcullis.gateway.limits.CountedUsage usage,
        long nowMillis) {
      throw new StoreUnavailableException("connection refused", null);
    }

    @Override
    public KeyUsage usage(String subject, BudgetPeriod period) {
      throw new StoreUnavailableException("connection refused", null);
    }

    @Override
    public void close() {}
  }

  @Test
  void limitStoreCallsAreTimedAndTheirFailuresCountedByOperation() {
    LimitStore store = f.metrics.observe(new UnreachableStore(), new LimitCounters());

    assertThatThrownBy(() -> store.reserve(null)).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> store.reserve(null)).isInstanceOf(StoreUnavailableException.class);
    store.record(null, null);

    PrometheusSamples s = scrape();
    assertThat(s.value("portcullis_limit_store_errors_total", "operation", "reserve")).isEqualTo(2);
    assertThat(s.value("portcullis_limit_store_seconds_count", "operation", "reserve"))
        .isEqualTo(2);
    assertThat(s.value("portcullis_limit_store_errors_total", "operation", "record")).isZero();
    assertThat(s.value("portcullis_limit_store_seconds_count", "operation", "record")).isEqualTo(1);
  }

  @Test
  void theCooldownGaugeOfATargetFollowsItsCircuitBreaker() {
    RouteConfig.CooldownConfig cooldown =
        new RouteConfig.CooldownConfig(3, Duration.ofSeconds(60), Duration.ofSeconds(30));
    Snapshot snapshot =
        TestSnapshots.builder()
            .route(
                TestSnapshots.routeSpec(
                        "chat",
                        RouteConfig.StrategyConfig.Mode.FALLBACK,
                        TestSnapshots.echo("a"),
                        TestSnapshots.echo("b"))
                    .cooldown(cooldown.failures(), cooldown.window(), cooldown.duration()))
            .build();
    String route = snapshot.routes().getFirst().id().qualifiedName();
    Set<String> cooling = java.util.concurrent.ConcurrentHashMap.newKeySet();
    f.metrics.observeCooldowns((r, t) -> cooling.contains(r + "#" + t));
    f.metrics.configurationApplied(snapshot);

    assertThat(scrape().value("portcullis_target_cooldown", "route", route, "target", "a"))
        .isZero();
    cooling.add(route + "#a");
    assertThat(scrape().value("portcullis_target_cooldown", "route", route, "target", "a"))
        .isEqualTo(1);
    assertThat(scrape().value("portcullis_target_cooldown", "route", route, "target", "b"))
        .isZero();
  }

  @Test
  void theFleetConnectionAndRejectedConfigurationsAreShown() {
    AtomicBoolean connected = new AtomicBoolean(true);
    f.metrics.observeFleetConnection(connected::get);
    f.metrics.configurationRejected();

    assertThat(scrape().value("portcullis_fleet_connected")).isEqualTo(1);
    connected.set(false);
    assertThat(scrape().value("portcullis_fleet_connected")).isZero();
    assertThat(scrape().value("portcullis_config_rejections_total")).isEqualTo(1);
  }

  @Test
  void whatTheLimitsDidIsReadFromTheirCounters() {
    LimitCounters counters = new LimitCounters();
    f.metrics.observe(new UnreachableStore(), counters);
    counters.budgetWarningOnce();

    assertThat(scrape().value("portcullis_budget_warnings_total")).isEqualTo(1);
    assertThat(scrape().value("portcullis_limit_store_unavailable_total")).isZero();
  }
}
