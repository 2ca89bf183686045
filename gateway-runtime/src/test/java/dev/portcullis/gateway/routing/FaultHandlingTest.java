package dev.portcullis.gateway.routing;

import static dev.portcullis.gateway.testing.GatewayClient.header;
import static dev.portcullis.gateway.testing.TestSnapshots.provider;
import static dev.portcullis.gateway.testing.TestSnapshots.routeSpec;
import static dev.portcullis.gateway.testing.TestSnapshots.withTimeouts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.GatewayClient;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each upstream fault, injected with the fake upstream, and what retries, fallback, the retry
 * budget and the timeouts make of it.
 */
class FaultHandlingTest {
  static final String KEY = "pc-test-routing-faults-0123456";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration MS_1 = Duration.ofMillis(1);
  static final Duration MS_10 = Duration.ofMillis(10);
  static FakeUpstream fake;
  static Gateway gateway;
  static GatewayClient client;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.start(0);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    gateway = Gateway.start(GatewaySettings.ephemeral());
    client = new GatewayClient(gateway, KEY);
    String url = fake.baseUrl() + "/v1";
    String refused = "http://127.0.0.1:" + closedPort + "/v1";
    Set<Integer> retryOn = Set.of(429, 502, 503);
    Duration maxRetryAfter = Duration.ofSeconds(2);
    gateway.apply(
        TestSnapshots.builder()
            .key("team-a", "app", KEY)
            .route(
                routeSpec(
                        "flaky-5xx",
                        Mode.SINGLE,
                        provider("only", "openai", "m;status=503;retry-after=0;fail-times=1", url))
                    .retry(2, MS_1, MS_10, retryOn, maxRetryAfter))
            .route(
                routeSpec(
                        "limited-briefly",
                        Mode.SINGLE,
                        provider("only", "openai", "m;status=429;retry-after=1;fail-times=1", url))
                    .retry(1, MS_1, MS_10, retryOn, maxRetryAfter))
            .route(
                routeSpec(
                        "limited-no-hint",
                        Mode.SINGLE,
                        // retry-after=0 is the fake's way to send no usable hint: backoff decides.
                        provider("only", "openai", "m;status=429;retry-after=0;fail-times=1", url))
                    .retry(1, MS_1, MS_10, retryOn, maxRetryAfter))
            .route(
                routeSpec(
                        "limited-long",
                        Mode.FALLBACK,
                        provider("primary", "openai", "m-primary;status=429;retry-after=30", url),
                        provider("secondary", "openai", "m-secondary", url))
                    .retry(2, MS_1, MS_10, retryOn, maxRetryAfter))
            .route(
                routeSpec(
                    "refused",
                    Mode.FALLBACK,
                    provider("primary", "openai", "m-primary", refused),
                    provider("secondary", "openai", "m-secondary", url)))
            .route(
                routeSpec(
                    "slow-first-byte",
                    Mode.FALLBACK,
                    withTimeouts(
                        provider("primary", "openai", "m-primary;latency=5s", url),
                        null,
                        Duration.ofMillis(300),
                        null),
                    provider("secondary", "openai", "m-secondary", url)))
            .route(
                routeSpec(
                        "reset-before",
                        Mode.SINGLE,
                        provider("only", "openai", "m;reset=before;fail-times=1", url))
                    .retry(1, MS_1, MS_10, retryOn, maxRetryAfter))
            .route(
                routeSpec(
                    "reset-during",
                    Mode.FALLBACK,
                    provider("primary", "openai", "m-primary;reset=during;reset-after=2", url),
                    provider("secondary", "openai", "m-secondary", url)))
            .route(
                routeSpec(
                        "outage",
                        Mode.SINGLE,
                        provider("only", "openai", "m;status=503;retry-after=0", url))
                    .retry(3, MS_1, MS_1, retryOn, maxRetryAfter))
            .route(
                routeSpec(
                        "route-deadline",
                        Mode.SINGLE,
                        provider("only", "openai", "m;latency=5s", url))
                    .timeout(Duration.ofMillis(700)))
            .route(
                routeSpec(
                        "caller-deadline",
                        Mode.SINGLE,
                        provider("only", "openai", "m;latency=5s", url))
                    .timeout(Duration.ofSeconds(30)))
            .route(
                routeSpec(
                    "long-stream",
                    Mode.SINGLE,
                    withTimeouts(
                        provider("only", "openai", "m;tps=4;tokens=400", url),
                        null,
                        null,
                        Duration.ofSeconds(1))))
            .build());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    fake.close();
  }

  @BeforeEach
  void reset() {
    fake.reset();
  }

  /** A response and how long it took. */
  record Timed(HttpResponse<String> response, long millis) {}

  private static Timed timed(Supplier<HttpResponse<String>> call) {
    long start = System.nanoTime();
    HttpResponse<String> response = call.get();
    return new Timed(response, (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  void a5xxIsRetriedOnTheSameTarget() {
    HttpResponse<String> res = client.chat("flaky-5xx");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-attempts")).isEqualTo("2");
    assertThat(header(res, "x-portcullis-fallback-path")).isNull();
    assertThat(fake.requestCount()).isEqualTo(2);
  }

  @Test
  void a429WithRetryAfterIsRetriedAfterTheWaitAsked() {
    Timed t = timed(() -> client.chat("limited-briefly"));
    HttpResponse<String> res = t.response();
    long millis = t.millis();
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-attempts")).isEqualTo("2");
    assertThat(millis).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(950);
  }

  @Test
  void a429WithoutRetryAfterIsRetriedAfterBackoff() {
    Timed t = timed(() -> client.chat("limited-no-hint"));
    HttpResponse<String> res = t.response();
    long millis = t.millis();
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-attempts")).isEqualTo("2");
    assertThat(millis).isLessThan(900);
  }

  @Test
  void aRetryAfterBeyondTheMaximumFailsOverInsteadOfWaiting() throws Exception {
    Timed t = timed(() -> client.chat("limited-long"));
    HttpResponse<String> res = t.response();
    long millis = t.millis();
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(res.body()).path("model").asText()).isEqualTo("m-secondary");
    assertThat(header(res, "x-portcullis-attempts")).isEqualTo("2");
    assertThat(millis).isLessThan(2000);
  }

  @Test
  void aRefusedConnectionFailsOver() {
    HttpResponse<String> res = client.chat("refused");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-target")).isEqualTo("secondary");
    assertThat(header(res, "x-portcullis-fallback-path")).isEqualTo("primary>secondary");
  }

  @Test
  void aSlowFirstByteTimesOutAndFailsOver() {
    Timed t = timed(() -> client.chat("slow-first-byte"));
    HttpResponse<String> res = t.response();
    long millis = t.millis();
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-target")).isEqualTo("secondary");
    assertThat(millis).isLessThan(4000);
  }

  @Test
  void aConnectionResetBeforeTheResponseIsRetried() {
    HttpResponse<String> res = client.chat("reset-before");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-attempts")).isEqualTo("2");
  }

  @Test
  void aResetDuringTheStreamEndsItWithAnErrorEventAndNoFallback() {
    HttpResponse<String> res = client.chat("reset-during", true, Map.of());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-target")).isEqualTo("primary");
    assertThat(res.body()).contains("upstream_stream_interrupted").doesNotContain("[DONE]");
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void theRetryBudgetKeepsRetriesFromMultiplyingLoadDuringAnOutage() {
    int requests = 50;
    for (int i = 0; i < requests; i++) {
      assertThat(client.chat("outage").statusCode()).isEqualTo(503);
    }
    // Three retries each would be 200 upstream calls. The budget allows 20% of the requests in
    // its 10 s window (at least 5); a slow machine spreading the requests over two windows gets
    // at most one more floor.
    assertThat(fake.requestCount()).isGreaterThan(requests).isLessThanOrEqualTo(requests + 15);
  }

  @Test
  void theRoutesDeadlineEndsTheWait() throws Exception {
    Timed t = timed(() -> client.chat("route-deadline"));
    HttpResponse<String> res = t.response();
    long millis = t.millis();
    assertThat(res.statusCode()).isEqualTo(504);
    assertThat(JSON.readTree(res.body()).path("error").path("code").asText())
        .isEqualTo("deadline_exceeded");
    assertThat(millis).isLessThan(3000);
  }

  @Test
  void theCallerMayShortenTheDeadline() {
    Timed t =
        timed(() -> client.chat("caller-deadline", false, Map.of("x-portcullis-timeout", "500ms")));
    HttpResponse<String> res = t.response();
    long millis = t.millis();
    assertThat(res.statusCode()).isEqualTo(504);
    assertThat(millis).isLessThan(3000);
  }

  @Test
  void anUnreadableCallerTimeoutIsABadRequest() {
    HttpResponse<String> res =
        client.chat("caller-deadline", false, Map.of("x-portcullis-timeout", "soon"));
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).contains("x-portcullis-timeout");
  }

  @Test
  void theTotalTimeoutEndsAStreamWithAnErrorEvent() {
    Timed t = timed(() -> client.chat("long-stream", true, Map.of()));
    HttpResponse<String> res = t.response();
    long millis = t.millis();
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.body()).contains("deadline_exceeded").doesNotContain("[DONE]");
    assertThat(millis).isLessThan(5000);
    await().atMost(Duration.ofSeconds(5)).until(() -> fake.inFlight() == 0);
  }
}
