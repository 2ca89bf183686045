package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.JsonTree;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.limits.Decision;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.telemetry.GenAiOperation;
import dev.portcullis.gateway.telemetry.RequestRecord;
import dev.portcullis.gateway.testing.SecretScan;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric the chart's alerts and dashboard query is one a gateway serves: a renamed metric
 * would otherwise leave an alert that never fires and a panel that stays empty.
 */
class ChartMetricNamesTest {
  static final Path CHART_FILES = Path.of("..", "charts", "portcullis", "files");
  static final Pattern METRIC = Pattern.compile("(portcullis|gen_ai)_[a-z_]+");
  static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?");
  static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  /** The names the chart's files use, without the histogram suffixes. */
  static Set<String> namesInChart() throws Exception {
    Set<String> names = new TreeSet<>();
    for (String file : List.of("alerts.yaml", "grafana-dashboard.json")) {
      Matcher m =
          METRIC.matcher(Files.readString(CHART_FILES.resolve(file), StandardCharsets.UTF_8));
      while (m.find()) {
        names.add(m.group().replaceFirst("_(bucket|count|sum)$", ""));
      }
    }
    return names;
  }

  static Snapshot snapshot() {
    TargetConfig target =
        new TargetConfig(
            "primary",
            "openai",
            "gpt-4o",
            "http://127.0.0.1:1/v1",
            SecretValue.of("sk-chart-test"),
            1,
            TargetConfig.Timeouts.NONE,
            JsonTree.EMPTY,
            null,
            null,
            null,
            null);
    RouteConfig route =
        new RouteConfig(
            new ResourceId("team-a", "chat", 1),
            "gpt-4o",
            List.of(),
            new RouteConfig.StrategyConfig(
                Mode.SINGLE,
                new RouteConfig.FallbackOn(Set.of(500), true, true),
                List.of(),
                null,
                null,
                null),
            List.of(target),
            null,
            new RouteConfig.CooldownConfig(3, Duration.ofSeconds(30), Duration.ofSeconds(30)),
            null,
            new RouteConfig.CacheConfig(RouteConfig.CacheConfig.CacheMode.DISABLED, null, 0),
            List.of(),
            List.of(),
            null,
            Set.of(),
            false);
    KeyConfig key =
        new KeyConfig(
            new ResourceId("team-a", "checkout", 1),
            "vk_checkout",
            List.of(),
            List.of(),
            new KeyConfig.Limits(100, null, null),
            new KeyConfig.Budget(
                new BigDecimal("5"),
                KeyConfig.Budget.Period.MONTHLY,
                KeyConfig.Budget.Action.BLOCK),
            null,
            true,
            Map.of(),
            Map.of(),
            false);
    return new Snapshot(
        Snapshot.SCHEMA_VERSION,
        "chart-names-1",
        List.of(route),
        List.of(key),
        List.of(),
        List.of());
  }

  /**
   * The metric and label names a gateway serves once a request touched every per-request counter
   * (cache, guardrail verdict, hedge, retry, fallback, refusal) and fleet mode is on.
   */
  static Set<String> namesServed() throws Exception {
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      Snapshot snapshot = snapshot();
      gateway.apply(snapshot);
      gateway.metrics().observeFleetConnection(() -> true);
      RouteConfig route = snapshot.routes().getFirst();
      TargetConfig target = route.targets().getFirst();
      RequestRecord r = gateway.telemetry().begin("req-chart", null);
      r.call(WireFormat.OPENAI, GenAiOperation.CHAT, true);
      r.key(snapshot.keys().getFirst());
      r.route(route, "gpt-4o");
      r.routed(target, 4, List.of("primary", "primary-hedge", "fallback"));
      r.hedges(1);
      r.cache("HIT", 1_000);
      r.cacheSavedTokens(10, 5);
      r.guardrailVerdict("team-a/pii:no-pii=pass");
      r.limitRefusal(Decision.Refusal.BUDGET);
      r.firstToken(System.nanoTime());
      r.responseModel("gpt-4o");
      r.usage(10, 5, 0);
      r.cost(1_000);
      r.outcome(200, null);
      gateway.telemetry().finish(r);
      HttpResponse<String> metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      Set<String> names = new TreeSet<>();
      for (String line : metrics.body().split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        Matcher sample = SAMPLE.matcher(line);
        if (!sample.find()) {
          continue;
        }
        names.add(sample.group(1).replaceFirst("_(bucket|count|sum)$", ""));
        if (sample.group(3) != null) {
          Matcher label = LABEL.matcher(sample.group(3));
          while (label.find()) {
            names.add(label.group(1));
          }
        }
      }
      return names;
    }
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardQueryIsServedByTheGateway() throws Exception {
    Set<String> used = namesInChart();
    assertThat(used).isNotEmpty().contains("portcullis_key_budget_spent_ratio");
    // Label names (gen_ai_request_model) match the pattern too; a served label is fine.
    assertThat(namesServed()).containsAll(used);
  }
}
