package dev.portcullis.gateway.routing;

import static dev.portcullis.gateway.testing.GatewayClient.header;
import static dev.portcullis.gateway.testing.TestSnapshots.provider;
import static dev.portcullis.gateway.testing.TestSnapshots.routeSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.telemetry.PrometheusSamples;
import dev.portcullis.gateway.testing.GatewayClient;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hedging: a second target raced against a first that sent no first byte in time. */
class HedgingTest {
  static final String KEY = "pc-test-routing-hedging-012345";
  FakeUpstream slow;
  FakeUpstream fast;
  Gateway gateway;
  GatewayClient client;

  @BeforeEach
  void start() throws Exception {
    slow = FakeUpstream.start(0);
    fast = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    client = new GatewayClient(gateway, KEY);
    gateway.apply(
        TestSnapshots.builder()
            .key("team-a", "app", KEY)
            .route(
                routeSpec(
                        "hedged",
                        Mode.FALLBACK,
                        provider("slow", "openai", "m-slow", slow.baseUrl() + "/v1"),
                        provider("fast", "openai", "m-fast", fast.baseUrl() + "/v1"))
                    .hedgeAfter(Duration.ofMillis(200)))
            .build());
  }

  @AfterEach
  void stop() {
    gateway.close();
    slow.close();
    fast.close();
  }

  @Test
  void theFasterTargetWinsAndTheSlowerIsCancelled() {
    slow.setDefaultBehaviour("latency=2s;tps=20;tokens=40");
    long start = System.nanoTime();
    HttpResponse<String> res = client.chat("hedged", true, Map.of());
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.body()).contains("[DONE]");
    assertThat(header(res, "x-portcullis-target")).isEqualTo("fast");
    assertThat(header(res, "x-portcullis-attempts")).as("both attempts count").isEqualTo("2");
    assertThat(millis).isLessThan(1800);
    assertThat(slow.requestCount()).isEqualTo(1);
    // The loser's connection was closed: its stream could not be written and it is done.
    await().atMost(Duration.ofSeconds(10)).until(() -> slow.cancelled() >= 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> slow.inFlight() == 0);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              PrometheusSamples metrics = metrics();
              assertThat(sum(metrics, "portcullis_hedges_total")).isEqualTo(1.0);
              assertThat(
                      metrics.value(
                          "portcullis_hedges_total", "route", "team-a/hedged", "target", "fast"))
                  .isEqualTo(1.0);
              assertThat(sum(metrics, "portcullis_fallbacks_total"))
                  .as("a hedge is not a fallback")
                  .isZero();
            });
  }

  @Test
  void aTargetThatAnswersInTimeIsNotHedged() throws Exception {
    HttpResponse<String> res = client.chat("hedged", true, Map.of());
    assertThat(header(res, "x-portcullis-target")).isEqualTo("slow");
    assertThat(header(res, "x-portcullis-attempts")).isEqualTo("1");
    assertThat(fast.requestCount()).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(sum(metrics(), "portcullis_requests_total")).isEqualTo(1.0));
    assertThat(sum(metrics(), "portcullis_hedges_total")).isZero();
  }

  @Test
  void aHedgeThatFailsLeavesTheSlowAnswerToWin() {
    slow.setDefaultBehaviour("latency=600ms");
    fast.setDefaultBehaviour("status=500");
    HttpResponse<String> res = client.chat("hedged");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-target")).isEqualTo("slow");
    assertThat(header(res, "x-portcullis-attempts")).isEqualTo("2");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        metrics()
                            .value(
                                "portcullis_hedges_total",
                                "route",
                                "team-a/hedged",
                                "target",
                                "slow"))
                    .isEqualTo(1.0));
  }

  /** The admin port's {@code /metrics}, over HTTP. */
  private PrometheusSamples metrics() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).isEqualTo(200);
      return PrometheusSamples.parse(res.body());
    }
  }

  private static double sum(PrometheusSamples metrics, String name) {
    return metrics.find(name).stream().mapToDouble(PrometheusSamples.Sample::value).sum();
  }
}
