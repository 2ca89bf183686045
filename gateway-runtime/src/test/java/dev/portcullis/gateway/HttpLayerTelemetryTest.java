package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.telemetry.PrometheusSamples;
import dev.portcullis.gateway.telemetry.TelemetrySettings;
import dev.portcullis.gateway.testing.RawHttpConnection;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests the HTTP layer answers itself — a body over the limit (413), an unknown URL (404), the
 * model list, a request the server cannot parse (400), overload (503) and shutdown (503) — are
 * counted by status and get one access-log line each, with no route, target or model invented:
 * those labels are {@code none}.
 */
class HttpLayerTelemetryTest {
  static final String KEY = "pc-telemetry-http-layer-0123456789";
  static final int BOUND = 2;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  FakeUpstream upstream;
  Gateway gateway;
  Path accessLog;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    // Each stream takes about three seconds: 30 tokens at 10 per second.
    upstream =
        FakeUpstream.builder().port(0).defaultBehaviour("tokens=30;tokens-per-second=10").start();
    accessLog = dir.resolve("access.log");
    gateway =
        Gateway.start(
            GatewaySettings.ephemeral()
                .withMaxBodyBytes(1024)
                .withShutdownGrace(Duration.ofSeconds(20))
                .withServer(ServerLimits.DEFAULTS.withMaxConcurrentRequests(BOUND))
                .withTelemetry(new TelemetrySettings(true, accessLog.toString(), Map.of())));
    gateway.apply(
        TestSnapshots.builder()
            .route(
                "team-a",
                "slow",
                "slow",
                Mode.SINGLE,
                TestSnapshots.provider("fake", "openai", "gpt-4o-mini", upstream.baseUrl() + "/v1"))
            .key("team-a", "app", KEY)
            .build());
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  HttpRequest chat(String body) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + KEY)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static String chatBody(boolean stream, String content) {
    return "{\"model\":\"slow\",\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\""
        + content
        + "\"}]}";
  }

  int status(HttpRequest req) throws Exception {
    return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void answersOfTheHttpLayerAreCountedAndLoggedWithoutInventedLabels() throws Exception {
    String base = "http://127.0.0.1:" + gateway.port();
    assertThat(status(chat(chatBody(false, "x".repeat(2000))))).isEqualTo(413);
    assertThat(status(HttpRequest.newBuilder(URI.create(base + "/v1/nowhere")).build()))
        .isEqualTo(404);
    assertThat(
            status(
                HttpRequest.newBuilder(URI.create(base + "/v1/models"))
                    .header("authorization", "Bearer " + KEY)
                    .build()))
        .isEqualTo(200);
    try (RawHttpConnection raw = new RawHttpConnection(gateway.port())) {
      raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Length: 12x\r\n\r\n");
      assertThat(raw.read().status()).isEqualTo(400);
    }

    List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
    for (int i = 0; i < BOUND; i++) {
      streams.add(
          HttpClient.newHttpClient()
              .sendAsync(chat(chatBody(true, "hi")), HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> upstream.inFlight() == BOUND);
    assertThat(status(chat(chatBody(false, "shed")))).isEqualTo(503);

    // Shutting down: the streams keep it draining; a new request is refused meanwhile.
    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(gateway::shutdown);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                http.send(chat(chatBody(false, "late")), HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("shutting_down"));

    PrometheusSamples m = metrics();
    String requests = "portcullis_requests_total";
    assertThat(m.value(requests, "status", "413", "route", "none", "key", "none", "target", "none"))
        .isEqualTo(1.0);
    assertThat(m.value(requests, "status", "404", "route", "none", "key", "none")).isEqualTo(1.0);
    assertThat(m.value(requests, "status", "400", "route", "none", "key", "none")).isEqualTo(1.0);
    assertThat(m.value(requests, "status", "200", "route", "none", "key", "app"))
        .as("the model list, under its key")
        .isEqualTo(1.0);
    assertThat(m.value(requests, "status", "503", "route", "none", "key", "none"))
        .as("one shed, at least one refused while draining")
        .isGreaterThanOrEqualTo(2.0);
    String duration = "gen_ai_server_request_duration_seconds_count";
    assertThat(
            m.value(duration, "error_type", "request_too_large", "gen_ai_operation_name", "chat"))
        .isEqualTo(1.0);
    assertThat(m.find(duration, "error_type", "unknown_url"))
        .as("no GenAI operation, no GenAI histogram")
        .isEmpty();

    for (CompletableFuture<HttpResponse<String>> stream : streams) {
      assertThat(stream.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    shutdown.get(30, TimeUnit.SECONDS);

    Map<String, Integer> byError = new HashMap<>();
    int lines = 0;
    for (String line : Files.readAllLines(accessLog)) {
      JsonNode json = JSON.readTree(line);
      lines++;
      byError.merge(json.path("error_type").asText("none"), 1, Integer::sum);
      if (json.get("status").asInt() != 200 || json.get("route").isNull()) {
        assertThat(json.get("route").isNull()).as(line).isTrue();
        assertThat(json.get("target").isNull()).as(line).isTrue();
        assertThat(json.get("request_model").isNull()).as(line).isTrue();
      }
      assertThat(line).doesNotContain(KEY);
    }
    int refusedWhileDraining = byError.getOrDefault("shutting_down", 0);
    assertThat(refusedWhileDraining).isGreaterThanOrEqualTo(1);
    assertThat(byError)
        .containsEntry("request_too_large", 1)
        .containsEntry("unknown_url", 1)
        .containsEntry("invalid_http", 1)
        .containsEntry("overloaded", 1)
        .containsEntry("none", 1 + BOUND); // the model list and the two streams
    assertThat(lines).isEqualTo(4 + 1 + refusedWhileDraining + BOUND);
  }

  PrometheusSamples metrics() throws Exception {
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
