package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.SecretScan;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streams flow through unbuffered, client disconnects reach the upstream, connections are reused,
 * and upstream failures come back with the right status in the caller's format.
 */
class StreamingAndFailuresTest {
  static final String KEY = "pc-test-streaming-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static FakeUpstream fake;
  static Gateway gateway;
  static int closedPort;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.start(0);
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    gateway = Gateway.start(GatewaySettings.ephemeral().withShutdownGrace(Duration.ofSeconds(10)));
    String openai = fake.baseUrl() + "/v1";
    gateway.apply(
        TestSnapshots.builder()
            .key("team-a", "app", KEY)
            .route(
                "team-a",
                "plain",
                "plain",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m", openai))
            .route(
                "team-a",
                "slow",
                "slow",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m;tps=5;tokens=6", openai))
            .route(
                "team-a",
                "slow-anthropic",
                "slow-anthropic",
                Mode.SINGLE,
                TestSnapshots.provider(
                    "anthropic", "anthropic", "m;tps=5;tokens=6", fake.baseUrl()))
            .route(
                "team-a",
                "endless",
                "endless",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m;tps=4;tokens=400", openai))
            .route(
                "team-a",
                "down",
                "down",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m;status=503", openai))
            .route(
                "team-a",
                "limited",
                "limited",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m;status=429;retry-after=7", openai))
            .route(
                "team-a",
                "limited-anthropic",
                "limited-anthropic",
                Mode.SINGLE,
                TestSnapshots.provider(
                    "anthropic", "anthropic", "m;status=429;retry-after=7", fake.baseUrl()))
            .route(
                "team-a",
                "bad-request",
                "bad-request",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m;status=400", openai))
            .route(
                "team-a",
                "wrong-key",
                "wrong-key",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m;status=401", openai))
            .route(
                "team-a",
                "reset",
                "reset",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m;reset=before", openai))
            .route(
                "team-a",
                "reset-during",
                "reset-during",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m;reset=during;reset-after=2", openai))
            .route(
                "team-a",
                "reset-during-anthropic",
                "reset-during-anthropic",
                Mode.SINGLE,
                TestSnapshots.provider(
                    "anthropic", "anthropic", "m;reset=during;reset-after=2", fake.baseUrl()))
            .route(
                "team-a",
                "refused",
                "refused",
                Mode.SINGLE,
                TestSnapshots.provider(
                    "openai", "openai", "m", "http://127.0.0.1:" + closedPort + "/v1"))
            .route(
                "team-a",
                "sluggish",
                "sluggish",
                Mode.SINGLE,
                TestSnapshots.withTimeouts(
                    TestSnapshots.provider("openai", "openai", "m;latency=3s", openai),
                    null,
                    Duration.ofMillis(300)))
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

  private static HttpRequest openAi(String model, boolean stream) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .header("authorization", "Bearer " + KEY)
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\""
                    + model
                    + "\",\"stream\":"
                    + stream
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  private static HttpRequest anthropic(String model, boolean stream) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/messages"))
        .header("content-type", "application/json")
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\""
                    + model
                    + "\",\"stream\":"
                    + stream
                    + ",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  /** Reads SSE data lines as they arrive, with the time each arrived. */
  private static List<long[]> arrivalTimes(HttpRequest request, List<String> lines)
      throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> res = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(res.statusCode()).isEqualTo(200);
    List<long[]> times = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("data:")) {
          lines.add(line);
          times.add(new long[] {(System.nanoTime() - start) / 1_000_000});
        }
      }
    }
    return times;
  }

  @Test
  void sameFormatStreamIsNotBuffered() throws Exception {
    List<String> lines = new ArrayList<>();
    List<long[]> times = arrivalTimes(openAi("slow", true), lines);
    // 6 tokens at 5 per second: ~1 s from first to last token. A buffering proxy would deliver
    // them all at once at the end.
    long first = times.get(1)[0];
    long last = times.get(times.size() - 2)[0];
    assertThat(last - first).isGreaterThan(700);
    assertThat(lines.getLast()).isEqualTo("data: [DONE]");
  }

  @Test
  void translatedStreamIsNotBuffered() throws Exception {
    List<String> lines = new ArrayList<>();
    List<long[]> times = arrivalTimes(openAi("slow-anthropic", true), lines);
    long first = times.get(1)[0];
    long last = times.get(times.size() - 2)[0];
    assertThat(last - first).isGreaterThan(700);
    assertThat(lines.getLast()).isEqualTo("data: [DONE]");
  }

  @Test
  void clientDisconnectCancelsTheUpstreamStream() throws Exception {
    HttpResponse<InputStream> res =
        HTTP.send(openAi("endless", true), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = res.body()) {
      body.readNBytes(200);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> fake.cancelled() >= 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> fake.inFlight() == 0);
  }

  @Test
  void upstreamConnectionsArePooled() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertThat(
              HTTP.send(openAi("plain", false), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
    }
    assertThat(fake.connectionsAccepted()).isLessThanOrEqualTo(2);
  }

  private static JsonNode errorOf(HttpResponse<String> res) throws Exception {
    assertThat(res.body()).doesNotContain("Exception");
    return JSON.readTree(res.body());
  }

  @Test
  void upstream503PassesThroughInOpenAiFormat() throws Exception {
    HttpResponse<String> res =
        HTTP.send(openAi("down", false), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(503);
    assertThat(errorOf(res).path("error").path("message").asText()).isNotEmpty();
  }

  @Test
  void upstream429KeepsRetryAfter() throws Exception {
    HttpResponse<String> res =
        HTTP.send(openAi("limited", false), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(429);
    assertThat(res.headers().firstValue("retry-after")).hasValue("7");
    assertThat(errorOf(res).path("error").has("message")).isTrue();
  }

  @Test
  void upstream429IsTranslatedForAnOpenAiClientOfAnAnthropicTarget() throws Exception {
    HttpResponse<String> res =
        HTTP.send(openAi("limited-anthropic", false), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(429);
    assertThat(res.headers().firstValue("retry-after")).hasValue("7");
    JsonNode error = errorOf(res).path("error");
    assertThat(error.path("message").asText()).isNotEmpty();
    assertThat(errorOf(res).has("type")).isFalse();
  }

  @Test
  void upstream400PassesThroughWithItsMessage() throws Exception {
    HttpResponse<String> res =
        HTTP.send(anthropic("bad-request", false), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(400);
    JsonNode body = errorOf(res);
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("message").asText()).isNotEmpty();
  }

  @Test
  void upstreamRejectingTheProviderKeyIsABadGateway() throws Exception {
    HttpResponse<String> res =
        HTTP.send(openAi("wrong-key", false), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(502);
    assertThat(errorOf(res).path("error").path("message").asText())
        .contains("provider credentials");
  }

  @Test
  void connectionResetBeforeResponseIsABadGateway() throws Exception {
    HttpResponse<String> res =
        HTTP.send(openAi("reset", false), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(502);
    assertThat(errorOf(res).path("error").path("code").asText()).isEqualTo("upstream_unreachable");
  }

  @Test
  void connectionRefusedIsABadGateway() throws Exception {
    HttpResponse<String> res =
        HTTP.send(anthropic("refused", false), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(502);
    assertThat(errorOf(res).path("error").path("type").asText()).isEqualTo("api_error");
  }

  @Test
  void slowFirstByteIsAGatewayTimeout() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> res =
        HTTP.send(openAi("sluggish", false), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(504);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void resetDuringSameFormatStreamEndsWithAnErrorEvent() throws Exception {
    List<String> lines = new ArrayList<>();
    arrivalTimes(openAi("reset-during", true), lines);
    assertThat(lines.getLast()).contains("\"error\"");
    assertThat(lines).doesNotContain("data: [DONE]");
  }

  @Test
  void resetDuringTranslatedStreamEndsWithAnErrorEvent() throws Exception {
    List<String> lines = new ArrayList<>();
    arrivalTimes(anthropic("reset-during", true), lines);
    assertThat(lines.getLast()).contains("\"type\":\"error\"");
  }

  @Test
  void shutdownLetsInFlightStreamsFinishAndRefusesNewRequests() throws Exception {
    // Its own upstream: other tests leave slow requests in flight on the shared one.
    FakeUpstream own = FakeUpstream.start(0);
    Gateway draining =
        SecretScan.watching(
            Gateway.start(GatewaySettings.ephemeral().withShutdownGrace(Duration.ofSeconds(10))));
    draining.apply(
        TestSnapshots.builder()
            .key("team-a", "app", KEY)
            .route(
                "team-a",
                "slow",
                "slow",
                Mode.SINGLE,
                TestSnapshots.provider(
                    "openai", "openai", "m;tps=5;tokens=6", own.baseUrl() + "/v1"))
            .build());
    URI uri = URI.create("http://127.0.0.1:" + draining.port() + "/v1/chat/completions");
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + KEY)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build();
    CompletableFuture<HttpResponse<String>> inFlight =
        HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(5)).until(() -> own.inFlight() == 1);
    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(draining::shutdown);

    URI ready = URI.create("http://127.0.0.1:" + draining.adminPort() + "/readyz");
    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                HTTP.send(
                            HttpRequest.newBuilder(ready).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                    == 503);
    HttpResponse<String> refused = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("shutting down");
    HttpResponse<String> finished = inFlight.get();
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.body()).contains("data: [DONE]");
    shutdown.get();
    own.close();
  }
}
