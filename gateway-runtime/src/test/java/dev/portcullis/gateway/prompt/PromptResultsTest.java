package dev.portcullis.gateway.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.Usage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptResultsTest {
  private static final String TEMPLATE = "team-a/support-bot";

  private final PromptResults results = new PromptResults();

  private static PromptResults.Outcome served(long in, long out, long costNanos, long millis) {
    return new PromptResults.Outcome(
        false, new Usage(in, out, 0), costNanos, Duration.ofMillis(millis));
  }

  @Test
  void eachVersionAddsUpItsOwnRequestsTokensCostAndLatency() {
    results.record(TEMPLATE, "v1", served(100, 20, 1_500_000, 300));
    results.record(TEMPLATE, "v1", served(50, 10, 500_000, 100));
    results.record(TEMPLATE, "v2", served(70, 30, 2_000_000, 500));

    assertThat(results.totals())
        .containsExactly(
            new PromptVersionTotals(TEMPLATE, "v1", 2, 0, 150, 30, "0.002", 400, 2, null),
            new PromptVersionTotals(TEMPLATE, "v2", 1, 0, 70, 30, "0.002", 500, 1, null));
  }

  /** A snapshot serving {@code versions} of the template, and the template {@code team-a/other}. */
  private static Snapshot serving(String... versions) {
    return new Snapshot(
        Snapshot.SCHEMA_VERSION,
        "sha256:" + String.join("", versions),
        List.of(),
        List.of(),
        List.of(),
        List.of(template("support-bot", versions), template("other", "v1")));
  }

  private static PromptTemplateConfig template(String name, String... versions) {
    return new PromptTemplateConfig(
        new ResourceId("team-a", name, 1),
        List.of(),
        Arrays.stream(versions)
            .map(v -> new PromptTemplateConfig.Version(v, List.of(), null, null))
            .toList(),
        List.of(),
        null);
  }

  @Test
  void versionsAndTemplatesTheSnapshotNoLongerServesAreForgottenAndStartAgainFromZero() {
    results.record(TEMPLATE, "v1", served(1, 1, 0, 1));
    results.record(TEMPLATE, "v2", served(1, 1, 0, 1));
    results.record(TEMPLATE, "v2", served(1, 1, 0, 1));
    results.record("team-a/other", "v1", served(1, 1, 0, 1));

    results.retainServed(serving("v1")); // v2 removed from the template

    assertThat(results.totals())
        .extracting(t -> t.template() + " " + t.version() + " " + t.requests())
        .containsExactly("team-a/other v1 1", TEMPLATE + " v1 1");
    assertThat(results.takeChanged())
        .extracting(PromptVersionTotals::version)
        .containsExactly("v1", "v1");

    results.retainServed(
        new Snapshot(
            Snapshot.SCHEMA_VERSION,
            "sha256:none",
            List.of(),
            List.of(),
            List.of(),
            List.of(template("other", "v1")))); // the template deleted
    results.retainServed(serving("v1", "v2")); // and created again
    results.record(TEMPLATE, "v2", served(1, 1, 0, 1));

    assertThat(results.totals())
        .extracting(t -> t.template() + " " + t.version() + " " + t.requests())
        .containsExactly("team-a/other v1 1", TEMPLATE + " v2 1");
  }

  /** A snapshot serving {@code support-bot} v1 as the resource {@code uid}. */
  private static Snapshot servingUid(String uid) {
    PromptTemplateConfig bot = template("support-bot", "v1");
    return new Snapshot(
        Snapshot.SCHEMA_VERSION,
        "sha256:" + uid,
        List.of(),
        List.of(),
        List.of(),
        List.of(
            new PromptTemplateConfig(
                new ResourceId("team-a", "support-bot", 1, uid),
                bot.variables(),
                bot.versions(),
                bot.rollout(),
                null)));
  }

  private static RenderedPrompt renderedBy(String uid) {
    return new RenderedPrompt(PromptFixtures.json("{}"), TEMPLATE, "v1", null, uid);
  }

  @Test
  void aTemplateDeletedAndReCreatedBetweenTwoSnapshotsStartsFromZero() {
    results.retainServed(servingUid("uid-1"));
    results.record(renderedBy("uid-1"), served(10, 10, 1_000_000, 10));
    results.record(renderedBy("uid-1"), served(10, 10, 1_000_000, 10));

    results.retainServed(servingUid("uid-2")); // same name, another resource
    results.record(renderedBy("uid-1"), served(10, 10, 1_000_000, 10)); // in flight before
    results.record(renderedBy("uid-2"), served(5, 5, 0, 10));

    assertThat(results.totals())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.requests()).isEqualTo(1);
              assertThat(t.inputTokens()).isEqualTo(5);
              assertThat(t.uid()).isEqualTo("uid-2");
            });
  }

  @Test
  void aRequestThatFinishesAfterItsVersionStoppedBeingServedIsNotCounted() {
    results.retainServed(serving("v1", "v2"));
    results.record(TEMPLATE, "v1", served(1, 1, 0, 1));

    results.retainServed(serving("v1")); // v2 removed while a request with it was in flight
    results.record(TEMPLATE, "v2", served(1, 1, 0, 1));

    assertThat(results.totals()).extracting(PromptVersionTotals::version).containsExactly("v1");
    assertThat(results.takeChanged())
        .extracting(PromptVersionTotals::version)
        .containsExactly("v1");
  }

  @Test
  void aFailedRequestCountsAsARequestAndAnError() {
    results.record(TEMPLATE, "v2", served(10, 0, 0, 50));
    results.record(
        TEMPLATE, "v2", new PromptResults.Outcome(true, Usage.ZERO, 0, Duration.ofMillis(20)));

    PromptVersionTotals v2 = results.totals().getFirst();
    assertThat(v2.requests()).isEqualTo(2);
    assertThat(v2.errors()).isEqualTo(1);
  }

  @Test
  void takeChangedReturnsEachChangedVersionOnceUntilItChangesAgain() {
    results.record(TEMPLATE, "v1", served(1, 1, 0, 1));
    results.record(TEMPLATE, "v2", served(1, 1, 0, 1));

    assertThat(results.takeChanged())
        .extracting(PromptVersionTotals::version)
        .containsExactly("v1", "v2");
    assertThat(results.takeChanged()).isEmpty();

    results.record(TEMPLATE, "v2", served(1, 1, 0, 1));
    assertThat(results.takeChanged())
        .singleElement()
        .satisfies(t -> assertThat(t.requests()).isEqualTo(2));
  }

  @Test
  void aRenderedPromptIsRecordedUnderItsTemplateAndVersion() {
    RenderedPrompt rendered =
        new RenderedPrompt(PromptFixtures.json("{}"), TEMPLATE, "v2", "team-a/support");

    results.record(rendered, served(5, 5, 0, 10));

    assertThat(results.totals())
        .singleElement()
        .satisfies(t -> assertThat(t.version()).isEqualTo("v2"));
  }

  @Test
  void totalsTravelAsJsonWithSpendInUsdLikeKeyTotals() throws Exception {
    results.record(TEMPLATE, "v1", served(100, 20, 1_500_000, 300));

    String json = Jackson.MAPPER.writeValueAsString(results.totals().getFirst());

    assertThat(Jackson.MAPPER.readTree(json))
        .isEqualTo(
            PromptFixtures.json(
                """
                {"template": "team-a/support-bot", "version": "v1", "requests": 1, "errors": 0,
                 "inputTokens": 100, "outputTokens": 20, "spendUSD": "0.0015",
                 "latencyMillisSum": 300, "latencyCount": 1}
                """));
  }
}
