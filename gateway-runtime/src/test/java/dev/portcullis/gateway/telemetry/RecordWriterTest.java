package dev.portcullis.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.provider.WireFormat;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The telemetry writer thread counts off the request's thread and a scrape sees every finished
 * request (a full queue: {@code AccessLogTest}).
 */
class RecordWriterTest {
  static final String[] CHECKOUT_200 =
      RequestMetricsTest.with(RequestMetricsTest.CHECKOUT_ON_PRIMARY, "status", "200");

  @Test
  void withTheAccessLogOffTheWriterStillCountsAndAScrapeSeesEveryFinishedRequest() {
    try (TelemetryFixture f = new TelemetryFixture()) {
      GatewayMetrics metrics = new GatewayMetrics(Clock.systemUTC());
      metrics.configurationApplied(f.snapshot);
      try (Telemetry telemetry = TelemetrySettings.METRICS_ONLY.open(metrics, Clock.systemUTC())) {
        for (int i = 0; i < 1_000; i++) {
          RequestRecord r = telemetry.begin("r" + i, null);
          r.call(WireFormat.OPENAI, GenAiOperation.CHAT, false);
          r.key(f.checkout);
          r.route(f.chat, "gpt-4o");
          r.routed(f.primary, 1, List.of("primary"));
          r.usage(3, 2, 0);
          r.outcome(200, null);
          telemetry.finish(r);
        }

        PrometheusSamples s = PrometheusSamples.parse(metrics.scrape());
        assertThat(s.value("portcullis_requests_total", CHECKOUT_200)).isEqualTo(1_000);
        assertThat(
                s.value(
                    "gen_ai_client_token_usage_count",
                    "gen_ai_token_type",
                    "input",
                    "gen_ai_request_model",
                    "gpt-4o"))
            .isEqualTo(1_000);
        assertThat(s.value("portcullis_telemetry_queue_overflows_total")).isZero();
      }
      metrics.close();
    }
  }
}
