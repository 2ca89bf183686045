package dev.portcullis.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.fleet.UsageReport.PromptTotals;
import dev.portcullis.api.prompt.PromptVersionResults;
import dev.portcullis.operator.snapshot.Kinds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The prompt template versions' results the gateways report: summed over gateway instances, and
 * published for {@code PromptTemplate.status} as the keys' usage is.
 */
class PromptResultsTest {
  final PromptResultsRollup prompts = new PromptResultsRollup();
  final List<ResourceRef> triggered = new ArrayList<>();
  Instant now = Instant.parse("2025-03-07T12:00:00Z");
  final UsageStatusPublisher publisher =
      new UsageStatusPublisher(
          new UsageRollup(),
          prompts,
          Duration.ofSeconds(10),
          Clock.fixed(now, ZoneOffset.UTC),
          triggered::add);

  static PromptTotals totals(String version, long requests, long errors, String spend, long ms) {
    return new PromptTotals(
        "team-a/support-bot",
        version,
        requests,
        errors,
        10 * requests,
        4 * requests,
        spend,
        ms,
        requests,
        null);
  }

  static UsageReport report(String instance, PromptTotals... prompts) {
    return new UsageReport(
        "gw-" + instance, instance, UsageReport.Scope.FLEET, List.of(), List.of(prompts));
  }

  @Test
  void eachInstancesLatestFiguresAreSummedPerVersion() {
    prompts.accept(report("a", totals("v1", 3, 1, "0.003", 300), totals("v2", 1, 0, "0.001", 50)));
    prompts.accept(report("a", totals("v1", 4, 1, "0.004", 500)));
    prompts.accept(report("b", totals("v1", 2, 0, "0.002", 100)));

    List<PromptResultsRollup.VersionResults> results =
        prompts.results("team-a/support-bot").orElseThrow();

    assertThat(results)
        .extracting(PromptResultsRollup.VersionResults::version)
        .containsExactly("v1", "v2");
    PromptResultsRollup.VersionResults v1 = results.getFirst();
    assertThat(v1.requests()).isEqualTo(6);
    assertThat(v1.errors()).isEqualTo(1);
    assertThat(v1.inputTokens()).isEqualTo(60);
    assertThat(v1.spendText()).isEqualTo("0.006");
    assertThat(v1.meanLatencyMillis()).isEqualTo(100);
  }

  @Test
  void aLateReportDoesNotMoveAnInstanceBackwards() {
    prompts.accept(report("a", totals("v1", 4, 0, "0.004", 400)));
    prompts.accept(report("a", totals("v1", 3, 0, "0.003", 300)));

    assertThat(prompts.results("team-a/support-bot").orElseThrow().getFirst().requests())
        .isEqualTo(4);
  }

  @Test
  void aMalformedEntryRefusesTheReportNamingWhatIsWrong() {
    assertThatThrownBy(
            () ->
                prompts.accept(
                    report(
                        "a",
                        totals("v1", 1, 0, "0.1", 1),
                        new PromptTotals("support-bot", "v1", 1, 0, 0, 0, "0", 0, 0, null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace/name");
    assertThat(prompts.results("team-a/support-bot")).isEmpty();
  }

  @Test
  void aTemplatesResultsArePublishedAndItsReconcilerTriggered() {
    prompts.accept(report("a", totals("v1", 3, 1, "0.003", 300), totals("v2", 1, 0, "0", 50)));

    publisher.tick();

    assertThat(triggered).containsExactly(new ResourceRef(Kinds.TEMPLATE, "team-a", "support-bot"));
    List<PromptVersionResults> status =
        publisher.promptResults("team-a", "support-bot").orElseThrow();
    assertThat(status).extracting(PromptVersionResults::getVersion).containsExactly("v1", "v2");
    PromptVersionResults v1 = status.getFirst();
    assertThat(v1.getRequests()).isEqualTo(3);
    assertThat(v1.getErrors()).isEqualTo(1);
    assertThat(v1.getInputTokens()).isEqualTo(30);
    assertThat(v1.getOutputTokens()).isEqualTo(12);
    assertThat(v1.getSpendUsd()).isEqualTo("0.003");
    assertThat(v1.getMeanLatencyMs()).isEqualTo(100);
  }

  @Test
  void unchangedResultsAreNotPublishedAgain() {
    prompts.accept(report("a", totals("v1", 3, 0, "0.003", 300)));
    publisher.tick();
    prompts.accept(report("a", totals("v1", 3, 0, "0.003", 300)));

    publisher.tick();

    assertThat(triggered).hasSize(1);
  }

  static Map<String, Set<String>> serving(String template, String... versions) {
    return Map.of(template, Set.of(versions));
  }

  @Test
  void versionsAndTemplatesNoLongerServedAreForgottenAndTheirLateFiguresIgnored() {
    prompts.accept(report("a", totals("v1", 4, 0, "0.004", 400), totals("v2", 9, 0, "0.009", 90)));
    prompts.accept(report("b", totals("v2", 2, 0, "0.002", 20)));
    prompts.takeChanged();

    assertThat(prompts.retain(serving("team-a/support-bot", "v1"))).isTrue();

    assertThat(prompts.results("team-a/support-bot").orElseThrow())
        .extracting(PromptResultsRollup.VersionResults::version)
        .containsExactly("v1");
    assertThat(prompts.takeChanged()).containsExactly("team-a/support-bot");
    // A gateway still on the old snapshot reports v2 again: ignored.
    prompts.accept(report("b", totals("v2", 3, 0, "0.003", 30)));
    assertThat(prompts.results("team-a/support-bot").orElseThrow()).hasSize(1);
    assertThat(prompts.retain(serving("team-a/support-bot", "v1"))).isFalse();

    // Deleted: gone, and a late report of it is ignored.
    assertThat(prompts.retain(Map.of())).isTrue();
    assertThat(prompts.results("team-a/support-bot")).isEmpty();
    prompts.accept(report("a", totals("v1", 5, 0, "0.005", 500)));
    assertThat(prompts.results("team-a/support-bot")).isEmpty();

    // Created again: counted from zero (a's figure 1 is taken although 4 was seen before).
    prompts.retain(serving("team-a/support-bot", "v1", "v2"));
    prompts.accept(report("a", totals("v1", 1, 0, "0.001", 100)));
    assertThat(prompts.results("team-a/support-bot").orElseThrow())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.version()).isEqualTo("v1");
              assertThat(r.requests()).isEqualTo(1);
            });
  }

  @Test
  void lateFiguresOfAForgottenTemplateAreIgnoredOnlyForAWhile() {
    Instant[] at = {now};
    PromptResultsRollup rollup = new PromptResultsRollup(clockAt(at));
    rollup.accept(report("a", totals("v1", 4, 0, "0.004", 400)));
    rollup.retain(Map.of());

    at[0] = now.plus(PromptResultsRollup.FORGOTTEN_FOR).minusSeconds(1);
    rollup.accept(report("a", totals("v1", 5, 0, "0.005", 500)));
    assertThat(rollup.results("team-a/support-bot")).isEmpty();

    at[0] = now.plus(PromptResultsRollup.FORGOTTEN_FOR);
    rollup.accept(report("a", totals("v1", 5, 0, "0.005", 500)));
    assertThat(rollup.results("team-a/support-bot")).isPresent(); // until the next build's retain
  }

  static PromptTotals ofUid(String uid, long requests) {
    return new PromptTotals(
        "team-a/support-bot", "v1", requests, 0, 10 * requests, 4 * requests, "0.001", 10, 1, uid);
  }

  @Test
  void aTemplateDeletedAndReCreatedBetweenTwoBuildsStartsFromZero() {
    Map<String, Set<String>> served = Map.of("team-a/support-bot", Set.of("v1"));
    prompts.retain(served, Map.of("team-a/support-bot", "uid-1"));
    prompts.accept(report("a", ofUid("uid-1", 40)));
    publisher.tick();
    assertThat(publisher.promptResults("team-a", "support-bot")).isPresent();

    // The next build serves the same name as another resource: nothing was ever "not served".
    assertThat(prompts.retain(served, Map.of("team-a/support-bot", "uid-2"))).isTrue();
    assertThat(prompts.results("team-a/support-bot")).isEmpty();
    assertThat(publisher.promptResults("team-a", "support-bot")).isEmpty();

    prompts.accept(report("a", ofUid("uid-1", 41))); // a gateway still on the old snapshot
    prompts.accept(report("b", ofUid("uid-2", 2)));

    assertThat(prompts.results("team-a/support-bot").orElseThrow())
        .singleElement()
        .satisfies(r -> assertThat(r.requests()).isEqualTo(2));
    assertThat(prompts.export().get("b"))
        .singleElement()
        .extracting(PromptTotals::uid)
        .isEqualTo("uid-2");
    assertThat(prompts.export()).doesNotContainKey("a");
  }

  @Test
  void figuresOfANewUidReplaceTheOldOnesBeforeAnyBuildNamesIt() {
    prompts.accept(report("a", ofUid("uid-1", 40)));
    prompts.accept(report("b", ofUid("uid-2", 2)));
    prompts.accept(report("a", ofUid("uid-1", 41)));

    assertThat(prompts.results("team-a/support-bot").orElseThrow())
        .singleElement()
        .satisfies(r -> assertThat(r.requests()).isEqualTo(2));
  }

  static Clock clockAt(Instant[] at) {
    return new Clock() {
      @Override
      public Instant instant() {
        return at[0];
      }

      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }
    };
  }

  @Test
  void aForgottenTemplatesPublishedResultsGoAtOnceSoOneCreatedAgainShowsNone() {
    prompts.accept(report("a", totals("v1", 3, 0, "0.003", 300)));
    publisher.tick();
    assertThat(publisher.promptResults("team-a", "support-bot")).isPresent();

    prompts.retain(Map.of());

    // Before the publisher's next tick, too: status of a re-created template never shows them.
    assertThat(publisher.promptResults("team-a", "support-bot")).isEmpty();
    publisher.tick();
    prompts.retain(serving("team-a/support-bot", "v1"));
    assertThat(publisher.promptResults("team-a", "support-bot")).isEmpty();
    assertThat(triggered).hasSize(1);
  }

  @Test
  void figuresTakenFromAnotherReplicaBesideTheReportsTheyCameFromAreNotCountedTwice() {
    // Instance a reported to the follower, then moved to the leader and reported grown counters
    // there; instance b reported to the follower only.
    PromptResultsRollup follower = new PromptResultsRollup();
    follower.accept(report("a", totals("v1", 5, 1, "0.005", 500)));
    follower.accept(report("b", totals("v1", 2, 0, "0.002", 200), totals("v2", 1, 0, "0", 9)));
    PromptResultsRollup leader = new PromptResultsRollup();
    leader.accept(report("a", totals("v1", 7, 1, "0.007", 700)));

    Map<String, List<PromptTotals>> exported = follower.export();
    assertThat(exported).containsOnlyKeys("a", "b");
    exported.forEach(leader::accept);
    exported.forEach(leader::accept); // again, as after the next heartbeat

    List<PromptResultsRollup.VersionResults> results =
        leader.results("team-a/support-bot").orElseThrow();
    assertThat(results.getFirst().requests()).isEqualTo(9); // a's 7 + b's 2, not 5 + 7 + 2
    assertThat(results.getFirst().spendText()).isEqualTo("0.009");
    assertThat(results.getFirst().latencyMillisSum()).isEqualTo(900);
    assertThat(results.get(1).requests()).isEqualTo(1);
  }
}
