package dev.portcullis.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.limits.Decision;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {
  final TelemetryFixture f = new TelemetryFixture();

  @AfterEach
  void close() {
    f.close();
  }

  PrometheusSamples scrape() {
    return PrometheusSamples.parse(f.metrics.scrape());
  }

  static final String[] CHECKOUT_ON_PRIMARY = {
    "namespace", "team-a", "key", "checkout", "route", "team-a/chat", "target", "primary"
  };

  static String[] with(String[] base, String... more) {
    String[] out = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, out, base.length, more.length);
    return out;
  }

  @Test
  void aServedRequestIsCountedWithItsStatusTokensAndCostUnderTheConfiguredLabels() {
    f.telemetry.finish(f.servedChat("gpt-4o", 250, 11, 7));

    PrometheusSamples s = scrape();
    assertThat(s.value("portcullis_requests_total", with(CHECKOUT_ON_PRIMARY, "status", "200")))
        .isEqualTo(1);
    assertThat(s.value("portcullis_tokens_total", with(CHECKOUT_ON_PRIMARY, "type", "input")))
        .isEqualTo(11);
    assertThat(s.value("portcullis_tokens_total", with(CHECKOUT_ON_PRIMARY, "type", "output")))
        .isEqualTo(7);
    assertThat(s.value("portcullis_cost_usd_total", CHECKOUT_ON_PRIMARY))
        .isCloseTo(0.00125, within(1e-12));
  }

  @Test
  void theGenAiHistogramsCarryTheConventionsAttributesAndBucketBoundaries() {
    f.telemetry.finish(f.servedChat("gpt-4o", 250, 11, 7));

    PrometheusSamples s = scrape();
    String[] attributes = {
      "gen_ai_operation_name", "chat",
      "gen_ai_provider_name", "openai",
      "gen_ai_request_model", "gpt-4o",
      "gen_ai_response_model", "gpt-4o-2024-08-06"
    };
    List<String> tokenBounds =
        s
            .find(
                "gen_ai_client_token_usage_bucket", with(attributes, "gen_ai_token_type", "input"))
            .stream()
            .map(b -> b.labels().get("le"))
            .toList();
    assertThat(tokenBounds).containsExactlyElementsOf(bounds(GenAiMeters.TOKEN_BUCKETS));
    assertThat(
            s.value(
                "gen_ai_client_token_usage_sum", with(attributes, "gen_ai_token_type", "output")))
        .isEqualTo(7);
    String[] success = with(attributes, "error_type", "none");
    assertThat(
            s.value("gen_ai_server_request_duration_seconds_bucket", with(success, "le", "0.16")))
        .isZero();
    assertThat(
            s.value("gen_ai_server_request_duration_seconds_bucket", with(success, "le", "0.32")))
        .isEqualTo(1);
    assertThat(
            s.find("gen_ai_server_request_duration_seconds_bucket", success).stream()
                .map(b -> b.labels().get("le"))
                .toList())
        .containsExactlyElementsOf(bounds(GenAiMeters.DURATION_BUCKETS));
  }

  static List<String> bounds(double[] buckets) {
    List<String> out =
        Arrays.stream(buckets).mapToObj(Double::toString).collect(Collectors.toList());
    out.add("+Inf");
    return out;
  }

  @Test
  void aStreamsFirstTokenAndTheTimePerLaterTokenComeFromItsTimings() {
    RequestRecord r = f.telemetry.begin("s1", null);
    r.call(WireFormat.ANTHROPIC, GenAiOperation.CHAT, true);
    r.key(f.checkout);
    r.route(f.chat, "gpt-4o");
    r.routed(f.primary, 1, List.of("primary"));
    f.advanceMillis(100);
    r.firstToken(f.nanos.get());
    f.advanceMillis(1000);
    r.usage(20, 11, 0);
    r.outcome(200, null);
    f.telemetry.finish(r);

    var ttft = f.registry().get("gen_ai.server.time_to_first_token").timer();
    var tpot = f.registry().get("gen_ai.server.time_per_output_token").timer();
    assertThat(ttft.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100);
    assertThat(tpot.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100); // 1000 ms / 10 later tokens
    assertThat(r.timeToFirstTokenNanos()).isEqualTo(100_000_000L);
    assertThat(r.durationNanos()).isEqualTo(1_100_000_000L);
  }

  @Test
  void aFailedRequestIsTimedUnderItsErrorTypeAndAddsNoTokenOrFirstTokenHistograms() {
    RequestRecord typed = f.servedChat("gpt-4o", 40, 0, 0);
    typed.firstToken(f.nanos.get());
    typed.outcome(504, "timeout");
    f.telemetry.finish(typed);
    RequestRecord untyped = f.servedChat("gpt-4o", 40, 0, 0);
    untyped.outcome(502, null);
    f.telemetry.finish(untyped);

    PrometheusSamples s = scrape();
    assertThat(s.value("gen_ai_server_request_duration_seconds_count", "error_type", "timeout"))
        .isEqualTo(1);
    assertThat(s.value("gen_ai_server_request_duration_seconds_count", "error_type", "502"))
        .isEqualTo(1);
    assertThat(s.find("gen_ai_server_time_to_first_token_seconds_count")).isEmpty();
    assertThat(s.find("gen_ai_client_token_usage_count")).isEmpty();
    assertThat(s.value("portcullis_requests_total", with(CHECKOUT_ON_PRIMARY, "status", "504")))
        .isEqualTo(1);
  }

  @Test
  void modelNamesTheConfigurationDoesNotHoldAreCountedAsOther() {
    RequestRecord alias = f.servedChat("chat-default", 10, 1, 1);
    f.telemetry.finish(alias);
    RequestRecord unknown = f.servedChat("gpt-5-super-preview", 10, 1, 1);
    unknown.responseModel("gpt-4o-2024-11-20");
    f.telemetry.finish(unknown);

    PrometheusSamples s = scrape();
    assertThat(
            s.value(
                "gen_ai_server_request_duration_seconds_count",
                "gen_ai_request_model",
                "chat-default"))
        .isEqualTo(1);
    assertThat(
            s.value(
                "gen_ai_server_request_duration_seconds_count",
                "gen_ai_request_model",
                "other",
                "gen_ai_response_model",
                "other"))
        .isEqualTo(1);
    assertThat(f.metrics.scrape()).doesNotContain("gpt-5-super-preview", "gpt-4o-2024-11-20");
  }

  @Test
  void aRequestRefusedBeforeAKeyWasKnownIsCountedUnderNone() {
    RequestRecord r = f.telemetry.begin("bad-key", null);
    r.call(WireFormat.OPENAI, GenAiOperation.CHAT, false);
    r.outcome(401, "invalid_api_key");
    f.telemetry.finish(r);

    assertThat(
            scrape()
                .value(
                    "portcullis_requests_total",
                    "namespace",
                    "none",
                    "key",
                    "none",
                    "route",
                    "none",
                    "target",
                    "none",
                    "status",
                    "401"))
        .isEqualTo(1);
  }

  @Test
  void refusalsRetriesFallbacksHedgesCacheOutcomesAndVerdictsAreCounted() {
    RequestRecord refused = f.servedChat("gpt-4o", 1, 0, 0);
    refused.limitRefusal(Decision.Refusal.BUDGET);
    refused.outcome(429, "budget_exceeded");
    f.telemetry.finish(refused);

    RequestRecord failedOver = f.servedChat("gpt-4o", 1, 3, 3);
    failedOver.routed(f.secondary, 3, List.of("primary", "secondary"));
    f.telemetry.finish(failedOver);

    RequestRecord hedged = f.servedChat("gpt-4o", 1, 3, 3);
    hedged.routed(f.secondary, 2, List.of("primary", "secondary"));
    hedged.hedges(1);
    f.telemetry.finish(hedged);

    RequestRecord cached = f.servedChat("gpt-4o", 1, 0, 0);
    cached.cache("HIT", 2_000_000);
    cached.guardrailVerdict("redacted:team-a/pii/no-pii");
    cached.guardrailVerdict("denied:team-z/made-up/check");
    f.telemetry.finish(cached);

    PrometheusSamples s = scrape();
    assertThat(
            s.value(
                "portcullis_limit_refusals_total", with(CHECKOUT_ON_PRIMARY, "limit", "budget")))
        .isEqualTo(1);
    String[] onSecondary = {"route", "team-a/chat", "target", "secondary"};
    assertThat(s.value("portcullis_retries_total", onSecondary)).isEqualTo(1);
    assertThat(s.value("portcullis_fallbacks_total", onSecondary)).isEqualTo(1);
    assertThat(s.value("portcullis_hedges_total", onSecondary)).isEqualTo(1);
    assertThat(
            s.value("portcullis_cache_requests_total", with(CHECKOUT_ON_PRIMARY, "cache", "hit")))
        .isEqualTo(1);
    assertThat(s.value("portcullis_cache_savings_usd_total", CHECKOUT_ON_PRIMARY))
        .isCloseTo(0.002, within(1e-12));
    assertThat(
            s.value(
                "portcullis_guardrail_verdicts_total",
                "action",
                "redacted",
                "policy",
                "team-a/pii",
                "check",
                "no-pii"))
        .isEqualTo(1);
    assertThat(s.value("portcullis_guardrail_verdicts_total", "policy", "other")).isEqualTo(1);
  }

  @Test
  void aRecordFinishedTwiceIsCountedOnce() {
    RequestRecord r = f.servedChat("gpt-4o", 5, 1, 1);
    f.telemetry.finish(r);
    f.telemetry.finish(r);

    assertThat(
            scrape().value("portcullis_requests_total", with(CHECKOUT_ON_PRIMARY, "status", "200")))
        .isEqualTo(1);
  }

  @Test
  void aNewConfigurationDropsTheSeriesOfRoutesKeysAndModelsItNoLongerHas() {
    f.telemetry.finish(f.servedChat("gpt-4o", 5, 1, 1));
    assertThat(scrape().anyWithLabel("portcullis_requests", "route", "team-a/chat")).isTrue();

    Snapshot without =
        TestSnapshots.builder()
            .route(
                "team-b",
                "embed",
                "text-embedding-3-small",
                dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode.SINGLE,
                TestSnapshots.provider("only", "openai", "text-embedding-3-small", null))
            .key("team-b", "indexer", "pc-other")
            .build();
    f.metrics.configurationApplied(without);

    String text = f.metrics.scrape();
    assertThat(text).doesNotContain("team-a/chat", "\"checkout\"", "gpt-4o-2024-08-06");
    assertThat(
            PrometheusSamples.parse(text)
                .value("portcullis_config_info", "version", without.version()))
        .isEqualTo(1);
    assertThat(text).doesNotContain(f.snapshot.version());
  }

  @Test
  void hundredsOfUnknownModelsBogusKeysAndErrorTypesLeaveTheSeriesCountBounded() {
    int afterHundreds = seriesAfter(0, 400);
    int afterMore = seriesAfter(400, 1200);

    assertThat(afterMore).isEqualTo(afterHundreds);
    assertThat(
            scrape().find("gen_ai_server_request_duration_seconds_count").stream()
                .map(s -> s.labels().get("error_type"))
                .distinct()
                .count())
        .isEqualTo(RequestMetrics.MAX_ERROR_TYPES + 1); // the cap, then "other"
    assertThat(f.metrics.scrape()).doesNotContain("key-399", "model-399", "ns-399");
  }

  int seriesAfter(int from, int to) {
    for (int i = from; i < to; i++) {
      RequestRecord r = f.telemetry.begin("r" + i, null);
      r.call(WireFormat.OPENAI, GenAiOperation.CHAT, false);
      // A key object no configuration holds (as if from an older snapshot), an unknown model.
      r.key(
          new KeyConfig(
              new ResourceId("ns-" + i, "key-" + i, 1),
              "vk_" + i,
              List.of(),
              List.of(),
              KeyConfig.Limits.NONE,
              null,
              null,
              true,
              Map.of(),
              Map.of(),
              false));
      r.route(f.chat, "model-" + i);
      r.routed(f.primary, 1, List.of("primary"));
      r.responseModel("response-model-" + i);
      r.outcome(500, "error_" + i);
      f.telemetry.finish(r);
    }
    return portcullisAndGenAiSeries();
  }

  int portcullisAndGenAiSeries() {
    return (int)
        scrape().samples().stream()
            .filter(s -> s.name().startsWith("portcullis_") || s.name().startsWith("gen_ai_"))
            .count();
  }

  @Test
  void findingTheMetersOfARequestAllocatesNothingOnceTheyExist() {
    var threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    RequestRecord r = f.servedChat("gpt-4o", 5, 11, 7);
    r.end(f.nanos.get());
    RequestMetrics metrics = f.metrics.requests();
    for (int i = 0; i < 50_000; i++) {
      metrics.record(r);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      metrics.record(r);
    }
    long perRecord = (threads.getCurrentThreadAllocatedBytes() - before) / 10_000;

    assertThat(perRecord).isLessThan(16);
  }
}
