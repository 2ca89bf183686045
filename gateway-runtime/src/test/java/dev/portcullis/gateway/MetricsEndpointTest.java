package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.telemetry.GenAiOperation;
import dev.portcullis.gateway.telemetry.PrometheusSamples;
import dev.portcullis.gateway.telemetry.RequestRecord;
import dev.portcullis.gateway.testing.LocalPrometheus;
import dev.portcullis.gateway.testing.SecretScan;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} on the admin port of a started gateway, read over HTTP. */
class MetricsEndpointTest {
  static Snapshot chatSnapshot() {
    return TestSnapshots.builder()
        .route(
            "team-a",
            "chat",
            "gpt-4o",
            Mode.SINGLE,
            TestSnapshots.provider("primary", "openai", "gpt-4o", "http://127.0.0.1:1/v1"))
        .key("team-a", "checkout", "pc-metrics-test-key")
        .build();
  }

  /** Feeds the gateway's telemetry as the pipeline does: begin, fill, finish. */
  static void served(Gateway gateway, Snapshot snapshot, int status, long input, long output) {
    RouteConfig route = snapshot.routes().getFirst();
    RequestRecord r = gateway.telemetry().begin("req", null);
    r.call(WireFormat.OPENAI, GenAiOperation.CHAT, false);
    r.key(snapshot.keys().getFirst());
    r.route(route, "gpt-4o");
    r.routed(route.targets().getFirst(), 1, List.of("primary"));
    r.responseModel("gpt-4o");
    r.usage(input, output, 0);
    r.outcome(status, status == 200 ? null : "upstream_error");
    gateway.telemetry().finish(r);
  }

  static HttpResponse<String> metrics(Gateway gateway) throws Exception {
    return AdminEndpointsTest.get(gateway, "/metrics");
  }

  @Test
  void metricsServesJvmProcessAndTheAppliedConfigurationInPrometheusTextFormat() throws Exception {
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      Snapshot snapshot = chatSnapshot();
      gateway.apply(snapshot);

      HttpResponse<String> response = metrics(gateway);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type").orElseThrow())
          .startsWith("text/plain; version=0.0.4");
      PrometheusSamples s = PrometheusSamples.parse(response.body());
      assertThat(s.find("jvm_memory_used_bytes", "area", "heap")).isNotEmpty();
      assertThat(
              s.find("jvm_gc_pause_seconds_count").size()
                  + s.find("jvm_threads_live_threads").size())
          .isPositive();
      assertThat(s.value("process_cpu_seconds_total")).isPositive();
      assertThat(s.value("process_uptime_seconds")).isPositive();
      assertThat(s.value("portcullis_config_info", "version", snapshot.version())).isEqualTo(1);
      assertThat(s.value("portcullis_config_routes")).isEqualTo(1);
      assertThat(s.value("portcullis_config_keys")).isEqualTo(1);
      assertThat(s.value("portcullis_config_last_apply_timestamp_seconds"))
          .isCloseTo(
              System.currentTimeMillis() / 1000.0, org.assertj.core.api.Assertions.within(60.0));
      assertThat(s.value("portcullis_requests_in_flight")).isZero();
      assertThat(s.value("portcullis_limit_store_seconds_count", "operation", "reserve")).isZero();
    }
  }

  @Test
  void aNewConfigurationReplacesTheVersionAndARejectedOneIsCounted() throws Exception {
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      Snapshot first = chatSnapshot();
      gateway.apply(first);
      Snapshot second = TestSnapshots.builder().build();
      gateway.apply(second);
      Snapshot bad =
          TestSnapshots.builder()
              .route(
                  "team-a",
                  "x",
                  "x",
                  Mode.SINGLE,
                  TestSnapshots.provider("t", "smoke-signals", "m", null))
              .build();
      assertThatThrownBy(() -> gateway.apply(bad)).hasMessageContaining("smoke-signals");

      PrometheusSamples s = PrometheusSamples.parse(metrics(gateway).body());
      assertThat(s.find("portcullis_config_info")).hasSize(1);
      assertThat(s.value("portcullis_config_info", "version", second.version())).isEqualTo(1);
      assertThat(s.value("portcullis_config_rejections_total")).isEqualTo(1);
    }
  }

  @Test
  void requestsFinishedThroughTheGatewaysTelemetryAreCountedOnMetrics() throws Exception {
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      Snapshot snapshot = chatSnapshot();
      gateway.apply(snapshot);
      served(gateway, snapshot, 200, 11, 5);
      served(gateway, snapshot, 502, 0, 0);

      PrometheusSamples s = PrometheusSamples.parse(metrics(gateway).body());
      assertThat(s.value("portcullis_requests_total", "route", "team-a/chat", "status", "200"))
          .isEqualTo(1);
      assertThat(s.value("portcullis_requests_total", "route", "team-a/chat", "status", "502"))
          .isEqualTo(1);
      assertThat(s.value("gen_ai_client_token_usage_sum", "gen_ai_token_type", "input"))
          .isEqualTo(11);
    }
  }

  @Test
  void promtoolFindsNothingToCriticiseInTheScrape() throws Exception {
    assumeTrue(LocalPrometheus.program("promtool").isPresent(), "promtool is not installed");
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      Snapshot snapshot = chatSnapshot();
      gateway.apply(snapshot);
      served(gateway, snapshot, 200, 11, 5);
      served(gateway, snapshot, 502, 0, 0);

      LocalPrometheus.Verdict verdict = LocalPrometheus.checkMetrics(metrics(gateway).body());
      assertThat(verdict.exitCode()).as(verdict.output()).isZero();
    }
  }

  @Test
  void aRealPrometheusScrapesTheGatewayAndAnswersAQueryWithTheCountedValues(@TempDir Path dir)
      throws Exception {
    assumeTrue(LocalPrometheus.program("prometheus").isPresent(), "prometheus is not installed");
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      Snapshot snapshot = chatSnapshot();
      gateway.apply(snapshot);
      for (int i = 0; i < 7; i++) {
        served(gateway, snapshot, 200, 11, 5);
      }
      served(gateway, snapshot, 429, 0, 0);

      try (LocalPrometheus prometheus =
          LocalPrometheus.scraping("127.0.0.1:" + gateway.adminPort(), dir)) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    prometheus
                        .query(
                            "sum(portcullis_requests_total{route=\"team-a/chat\",status=\"200\"})")
                        .isPresent());
        assertThat(
                prometheus.query(
                    "sum(portcullis_requests_total{route=\"team-a/chat\",status=\"200\"})"))
            .isEqualTo(Optional.of(7.0));
        assertThat(
                prometheus.query("sum(gen_ai_client_token_usage_sum{gen_ai_token_type=\"input\"})"))
            .isEqualTo(Optional.of(77.0));
        assertThat(
                prometheus.query("portcullis_config_info{version=\"" + snapshot.version() + "\"}"))
            .isEqualTo(Optional.of(1.0));
        assertThat(prometheus.query("up{job=\"portcullis-gateway\"}")).isEqualTo(Optional.of(1.0));
      }
    }
  }
}
