package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.fleet.UsageReport.KeyTotals;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.KeyConfig.Budget.Period;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.gateway.limits.BudgetPeriod;
import dev.portcullis.gateway.limits.KeyUsage;
import dev.portcullis.gateway.limits.StoreUnavailableException;
import dev.portcullis.gateway.limits.UsageLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetUsageReporterTest {
  static final KeyConfig CHECKOUT = key("team-a", "checkout");
  static final KeyConfig SUPPORT = key("team-b", "support");

  final TestingLedger ledger = new TestingLedger();
  final List<UsageReport> sent = new ArrayList<>();
  boolean operatorUp = true;
  final FleetUsageReporter reporter =
      new FleetUsageReporter(
          ledger,
          "gateway-1",
          report -> {
            if (operatorUp) {
              sent.add(report);
            }
            return operatorUp;
          });

  static KeyConfig key(String ns, String name) {
    return new KeyConfig(
        new ResourceId(ns, name, 1),
        "vk_" + name,
        List.of(),
        List.of(),
        KeyConfig.Limits.NONE,
        null,
        null,
        true,
        Map.of(),
        Map.of(),
        false);
  }

  /** A ledger whose figures, served keys and clock the test sets. */
  static final class TestingLedger implements UsageLedger {
    Instant now = Instant.parse("2025-03-07T12:00:00Z");
    final Map<String, KeyUsage> usage = new HashMap<>();
    final List<KeyConfig> changed = new ArrayList<>();
    final Set<String> unreachable = new HashSet<>();
    boolean shared;

    void served(KeyConfig key, long spentNanos, long requests) {
      usage.put(
          key.id().qualifiedName(),
          new KeyUsage(period(key).start(), spentNanos, 0, requests, 10 * requests, 2 * requests));
      changed.add(key);
    }

    @Override
    public KeyUsage usage(KeyConfig key) {
      if (unreachable.contains(key.id().qualifiedName())) {
        throw new StoreUnavailableException("Redis could not be reached", null);
      }
      KeyUsage u = usage.get(key.id().qualifiedName());
      return u != null && u.periodStart().equals(period(key).start())
          ? u
          : new KeyUsage(period(key).start(), 0, 0, 0, 0, 0);
    }

    @Override
    public BudgetPeriod period(KeyConfig key) {
      return BudgetPeriod.containing(Period.MONTHLY, now);
    }

    @Override
    public List<KeyConfig> takeChangedKeys() {
      List<KeyConfig> taken = List.copyOf(changed);
      changed.clear();
      return taken;
    }

    @Override
    public boolean sharedAcrossFleet() {
      return shared;
    }
  }

  List<String> reportedKeys(int report) {
    return sent.get(report).keys().stream().map(KeyTotals::key).toList();
  }

  @Test
  void reportsTheTotalsOfTheKeysServedSinceTheLastReport() {
    ledger.served(CHECKOUT, 1_250_000, 3);

    reporter.reportNow();

    assertThat(sent).hasSize(1);
    UsageReport report = sent.getFirst();
    assertThat(report.pod()).isEqualTo("gateway-1");
    assertThat(report.instance()).isNotBlank();
    assertThat(report.keys())
        .containsExactly(
            new KeyTotals(
                "team-a/checkout", "MONTHLY", "2025-03-01T00:00:00Z", "0.00125", 3, 30, 6));
  }

  @Test
  void nothingIsSentWhenNoKeyWasServed() {
    ledger.served(CHECKOUT, 1_000, 1);
    reporter.reportNow();

    reporter.reportNow();

    assertThat(sent).hasSize(1);
  }

  @Test
  void aServedKeyWhoseFiguresDidNotChangeIsNotSentAgain() {
    ledger.served(CHECKOUT, 1_000, 1);
    reporter.reportNow();
    ledger.changed.add(CHECKOUT); // served, but the shared figures read the same

    reporter.reportNow();

    assertThat(sent).hasSize(1);
  }

  @Test
  void onlyTheKeysThatChangedAreReported() {
    ledger.served(CHECKOUT, 1_000, 1);
    ledger.served(SUPPORT, 2_000, 1);
    reporter.reportNow();
    ledger.served(SUPPORT, 4_000, 2);

    reporter.reportNow();

    assertThat(reportedKeys(1)).containsExactly("team-b/support");
  }

  @Test
  void withSharedCountersTheReportIsFleetScopedAndOtherwisePodScoped() {
    ledger.served(CHECKOUT, 1_000, 1);
    reporter.reportNow();
    ledger.shared = true;
    ledger.served(CHECKOUT, 2_000, 2);
    reporter.reportNow();

    assertThat(sent.get(0).scope()).isEqualTo(UsageReport.Scope.POD);
    assertThat(sent.get(1).scope()).isEqualTo(UsageReport.Scope.FLEET);
  }

  @Test
  void aReportTheOperatorDidNotTakeIsSentAgainWithTheNewestFigures() {
    operatorUp = false;
    ledger.served(CHECKOUT, 1_000, 1);
    reporter.reportNow();
    operatorUp = true;
    ledger.usage.put(
        "team-a/checkout", new KeyUsage(Instant.parse("2025-03-01T00:00:00Z"), 3_000, 0, 2, 0, 0));

    reporter.reportNow();

    assertThat(sent).hasSize(1);
    assertThat(sent.getFirst().keys().getFirst().requests()).isEqualTo(2);
  }

  @Test
  void aKeyWhoseCountersCannotBeReadIsReportedOnceTheyCanBe() {
    ledger.served(CHECKOUT, 1_000, 1);
    ledger.unreachable.add("team-a/checkout");
    reporter.reportNow();
    assertThat(sent).isEmpty();

    ledger.unreachable.clear();
    reporter.reportNow();

    assertThat(reportedKeys(0)).containsExactly("team-a/checkout");
  }

  @Test
  void afterAReconnectEveryKeyReportedBeforeIsSentAgain() {
    ledger.served(CHECKOUT, 1_000, 1);
    ledger.served(SUPPORT, 2_000, 1);
    reporter.reportNow();

    reporter.resendAll();
    reporter.reportNow();

    assertThat(reportedKeys(1)).containsExactlyInAnyOrder("team-a/checkout", "team-b/support");
  }

  @Test
  void aKeyWhosePeriodRolledOverIsReportedWithTheNewPeriodWithoutTraffic() {
    ledger.served(CHECKOUT, 1_000, 1);
    reporter.reportNow();

    ledger.now = Instant.parse("2025-04-01T00:00:01Z");
    reporter.reportNow();

    assertThat(sent).hasSize(2);
    KeyTotals reset = sent.get(1).keys().getFirst();
    assertThat(reset.periodStart()).isEqualTo("2025-04-01T00:00:00Z");
    assertThat(reset.spendUsd()).isEqualTo("0");
    assertThat(reset.requests()).isZero();
  }

  @Test
  void closingSendsALastReport() {
    ledger.served(CHECKOUT, 1_000, 1);

    reporter.close();

    assertThat(sent).hasSize(1);
    ledger.served(CHECKOUT, 2_000, 2);
    reporter.reportNow();
    assertThat(sent).hasSize(1);
  }
}
