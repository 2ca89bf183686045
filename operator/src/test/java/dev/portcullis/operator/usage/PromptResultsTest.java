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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
        requests);
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
                        new PromptTotals("support-bot", "v1", 1, 0, 0, 0, "0", 0, 0))))
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
}
