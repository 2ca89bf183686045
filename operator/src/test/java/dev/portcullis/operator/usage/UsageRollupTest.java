package dev.portcullis.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.fleet.UsageReport.KeyTotals;
import dev.portcullis.api.fleet.UsageReport.Scope;
import dev.portcullis.operator.usage.UsageRollup.Totals;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageRollupTest {
  static final String MARCH = "2025-03-01T00:00:00Z";
  static final String APRIL = "2025-04-01T00:00:00Z";

  final UsageRollup rollup = new UsageRollup();

  static KeyTotals totals(String start, String spend, long requests, long in, long out) {
    return new KeyTotals("team-a/checkout", "MONTHLY", start, spend, requests, in, out);
  }

  static UsageReport report(Scope scope, String instance, KeyTotals... keys) {
    return new UsageReport("pod-" + instance, instance, scope, List.of(keys));
  }

  Totals total() {
    return rollup.total("team-a/checkout").orElseThrow();
  }

  @Test
  void fleetScopeReportsOfTheSameCountersAreNotAdded() {
    rollup.accept(report(Scope.FLEET, "g1", totals(MARCH, "0.25", 10, 1000, 200)));
    rollup.accept(report(Scope.FLEET, "g2", totals(MARCH, "0.25", 10, 1000, 200)));

    assertThat(total().spendText()).isEqualTo("0.25");
    assertThat(total().requests()).isEqualTo(10);
  }

  @Test
  void fleetScopeTakesTheLargestFigureSoALateOlderReadingCannotMoveTheTotalBack() {
    rollup.accept(report(Scope.FLEET, "g1", totals(MARCH, "0.30", 12, 1100, 250)));
    rollup.accept(report(Scope.FLEET, "g2", totals(MARCH, "0.25", 10, 1000, 200)));

    assertThat(total().spendText()).isEqualTo("0.3");
    assertThat(total().requests()).isEqualTo(12);
    assertThat(total().inputTokens()).isEqualTo(1100);
    assertThat(total().outputTokens()).isEqualTo(250);
  }

  @Test
  void podScopeReportsAreSummedOverGatewayInstances() {
    rollup.accept(report(Scope.POD, "g1", totals(MARCH, "0.10", 4, 400, 40)));
    rollup.accept(report(Scope.POD, "g2", totals(MARCH, "0.05", 2, 200, 20)));

    assertThat(total().spendText()).isEqualTo("0.15");
    assertThat(total().requests()).isEqualTo(6);
    assertThat(total().inputTokens()).isEqualTo(600);
    assertThat(total().outputTokens()).isEqualTo(60);
  }

  @Test
  void podScopeCountsEachInstanceOnceWithItsNewestTotals() {
    rollup.accept(report(Scope.POD, "g1", totals(MARCH, "0.10", 4, 400, 40)));
    rollup.accept(report(Scope.POD, "g1", totals(MARCH, "0.12", 5, 450, 50)));
    rollup.accept(report(Scope.POD, "g2", totals(MARCH, "0.05", 2, 200, 20)));

    assertThat(total().spendText()).isEqualTo("0.17");
    assertThat(total().requests()).isEqualTo(7);
  }

  @Test
  void aRestartedPodIsANewInstanceAndTheOldOnesShareIsKept() {
    rollup.accept(
        new UsageReport("gw-0", "before", Scope.POD, List.of(totals(MARCH, "1", 3, 0, 0))));
    rollup.accept(
        new UsageReport("gw-0", "after", Scope.POD, List.of(totals(MARCH, "0.5", 1, 0, 0))));

    assertThat(total().spendText()).isEqualTo("1.5");
    assertThat(total().requests()).isEqualTo(4);
  }

  @Test
  void spendIsAddedExactlyInDecimal() {
    for (int i = 0; i < 10; i++) {
      rollup.accept(report(Scope.POD, "g" + i, totals(MARCH, "0.1", 1, 0, 0)));
    }

    assertThat(total().spendText()).isEqualTo("1");
  }

  @Test
  void aLaterPeriodStartsTheKeyAfresh() {
    rollup.accept(report(Scope.POD, "g1", totals(MARCH, "3", 30, 0, 0)));
    rollup.accept(report(Scope.POD, "g2", totals(APRIL, "0.5", 1, 0, 0)));

    assertThat(total().periodStart()).hasToString(APRIL);
    assertThat(total().spendText()).isEqualTo("0.5");
    assertThat(total().requests()).isEqualTo(1);
  }

  @Test
  void aLateReportOfAnEndedPeriodIsIgnored() {
    rollup.accept(report(Scope.FLEET, "g1", totals(APRIL, "0.5", 1, 0, 0)));
    rollup.accept(report(Scope.FLEET, "g2", totals(MARCH, "3", 30, 0, 0)));

    assertThat(total().periodStart()).hasToString(APRIL);
    assertThat(total().spendText()).isEqualTo("0.5");
  }

  @Test
  void aChangedBudgetPeriodReplacesTheFiguresEvenWhenItStartedEarlier() {
    rollup.accept(
        report(
            Scope.FLEET,
            "g1",
            new KeyTotals("team-a/checkout", "DAILY", "2025-03-15T00:00:00Z", "0.2", 2, 0, 0)));
    rollup.accept(report(Scope.FLEET, "g1", totals(MARCH, "4", 40, 0, 0)));

    assertThat(total().period()).isEqualTo("MONTHLY");
    assertThat(total().spendText()).isEqualTo("4");
  }

  @Test
  void keysAreRolledUpSeparately() {
    rollup.accept(
        report(
            Scope.POD,
            "g1",
            totals(MARCH, "1", 1, 0, 0),
            new KeyTotals("team-b/support", "WEEKLY", "2025-03-03T00:00:00Z", "2", 2, 0, 0)));

    assertThat(rollup.total("team-a/checkout").orElseThrow().spendText()).isEqualTo("1");
    assertThat(rollup.total("team-b/support").orElseThrow().spendText()).isEqualTo("2");
    assertThat(rollup.total("team-b/other")).isEmpty();
  }

  @Test
  void onlyKeysWhoseTotalChangedAreTakenAsChanged() {
    rollup.accept(report(Scope.FLEET, "g1", totals(MARCH, "1", 1, 0, 0)));
    assertThat(rollup.takeChanged()).containsExactly("team-a/checkout");

    rollup.accept(report(Scope.FLEET, "g2", totals(MARCH, "1", 1, 0, 0)));
    assertThat(rollup.takeChanged()).isEmpty();

    rollup.accept(report(Scope.FLEET, "g2", totals(MARCH, "1.5", 2, 0, 0)));
    assertThat(rollup.takeChanged()).containsExactly("team-a/checkout");
  }

  @Test
  void aMalformedEntryRejectsTheWholeReport() {
    UsageReport bad =
        report(
            Scope.POD,
            "g1",
            totals(MARCH, "1", 1, 0, 0),
            new KeyTotals("team-b/support", "WEEKLY", MARCH, "lots", 1, 0, 0));

    assertThatThrownBy(() -> rollup.accept(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("team-b/support")
        .hasMessageContaining("spendUSD");
    assertThat(rollup.total("team-a/checkout")).isEmpty();
  }

  @Test
  void aPodScopeReportMustNameItsInstance() {
    assertThatThrownBy(
            () ->
                rollup.accept(
                    new UsageReport("gw", null, Scope.POD, List.of(totals(MARCH, "1", 1, 0, 0)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("instance");
  }

  static KeyTotals ofUid(String uid, String spend, long requests) {
    return new KeyTotals(
        "team-a/checkout", "MONTHLY", MARCH, spend, requests, requests * 100, requests * 10, uid);
  }

  static final Set<String> EXISTS = Set.of("team-a/checkout");

  @Test
  void aDeletedKeyIsForgottenAndItsLateFiguresAreIgnoredForAWhile() {
    Instant now = Instant.parse("2025-03-10T00:00:00Z");
    Instant[] at = {now};
    UsageRollup rollup = new UsageRollup(PromptResultsTest.clockAt(at));
    rollup.retain(EXISTS, Map.of("team-a/checkout", "uid-1"));
    rollup.accept(report(Scope.POD, "g1", ofUid("uid-1", "0.40", 4)));
    rollup.takeChanged();

    assertThat(rollup.retain(Set.of(), Map.of())).isTrue();

    assertThat(rollup.total("team-a/checkout")).isEmpty();
    assertThat(rollup.export()).isEmpty();
    assertThat(rollup.takeChanged()).containsExactly("team-a/checkout"); // to drop what was shown
    // A gateway still on the old snapshot reports once more.
    at[0] = now.plus(PromptResultsRollup.FORGOTTEN_FOR).minusSeconds(1);
    rollup.accept(report(Scope.POD, "g1", ofUid("uid-1", "0.50", 5)));
    assertThat(rollup.total("team-a/checkout")).isEmpty();
  }

  @Test
  void aKeyReCreatedWithTheSameNameStartsFromZero() {
    rollup.retain(EXISTS, Map.of("team-a/checkout", "uid-1"));
    rollup.accept(report(Scope.FLEET, "g1", ofUid("uid-1", "0.40", 4)));

    // Deleted and re-created between two builds: the next build serves another uid.
    assertThat(rollup.retain(EXISTS, Map.of("team-a/checkout", "uid-2"))).isTrue();
    assertThat(rollup.total("team-a/checkout")).isEmpty();

    rollup.accept(report(Scope.FLEET, "g1", ofUid("uid-1", "0.50", 5))); // late, old key
    rollup.accept(report(Scope.FLEET, "g2", ofUid("uid-2", "0.01", 1)));

    assertThat(total().spendText()).isEqualTo("0.01");
    assertThat(total().requests()).isEqualTo(1);
    assertThat(rollup.export().get("team-a/checkout").uid()).isEqualTo("uid-2");
  }

  @Test
  void figuresOfANewUidStartAfreshBeforeAnyBuildNamesIt() {
    rollup.accept(report(Scope.POD, "g1", ofUid("uid-1", "0.40", 4)));
    rollup.accept(report(Scope.POD, "g2", ofUid("uid-2", "0.02", 2)));
    rollup.accept(report(Scope.POD, "g1", ofUid("uid-1", "0.50", 5))); // the old one, late

    assertThat(total().spendText()).isEqualTo("0.02");
    assertThat(total().requests()).isEqualTo(2);
  }

  @Test
  void aKeyThatExistsButIsLeftOutOfTheSnapshotKeepsItsFigures() {
    rollup.retain(EXISTS, Map.of("team-a/checkout", "uid-1"));
    rollup.accept(report(Scope.POD, "g1", ofUid("uid-1", "0.40", 4)));

    assertThat(rollup.retain(EXISTS, Map.of())).isFalse(); // invalid for now: not served

    assertThat(total().requests()).isEqualTo(4);
  }

  @Test
  void anotherReplicasFiguresCarryTheUidAndFollowTheSameRules() {
    UsageRollup here = new UsageRollup();
    here.accept(report(Scope.POD, "g1", ofUid("uid-1", "0.40", 4)));
    UsageRollup there = new UsageRollup();
    there.retain(EXISTS, Map.of("team-a/checkout", "uid-2"));

    there.accept(here.export().get("team-a/checkout"));

    assertThat(here.export().get("team-a/checkout").uid()).isEqualTo("uid-1");
    assertThat(there.total("team-a/checkout")).isEmpty();
  }
}
