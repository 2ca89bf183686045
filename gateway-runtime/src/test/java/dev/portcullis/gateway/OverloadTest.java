package dev.portcullis.gateway;

import static dev.portcullis.gateway.testing.ErrorFormats.assertAnthropicError;
import static dev.portcullis.gateway.testing.ErrorFormats.assertOpenAiError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Overload is shed, never fatal: beyond the concurrency bound new requests get a 503 in the
 * caller's format with {@code retry-after} while the streams in flight run to their end; a listener
 * that cannot start stops the gateway with the reason.
 */
class OverloadTest {
  static final String KEY = "pc-test-overload-0123456789";
  static final int BOUND = 4;
  FakeUpstream upstream;
  Gateway gateway;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    // Each stream takes about two seconds: 20 tokens at 10 per second.
    upstream =
        FakeUpstream.builder().port(0).defaultBehaviour("tokens=20;tokens-per-second=10").start();
    gateway =
        Gateway.start(
            GatewaySettings.ephemeral()
                .withServer(ServerLimits.DEFAULTS.withMaxConcurrentRequests(BOUND)));
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

  HttpRequest chat(boolean stream) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + KEY)
        .header("content-type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"slow\",\"stream\":"
                    + stream
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  HttpRequest messages() {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/messages"))
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .header("content-type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"slow\",\"max_tokens\":10,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  @Test
  void requestsBeyondTheBoundGet503InFormatWhileStreamsInFlightFinish() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
    for (int i = 0; i < BOUND; i++) {
      // A client per stream, so each holds its own connection.
      streams.add(
          HttpClient.newHttpClient().sendAsync(chat(true), HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> upstream.inFlight() == BOUND);

    HttpResponse<String> shedOpenAi = http.send(chat(false), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> shedAnthropic =
        http.send(messages(), HttpResponse.BodyHandlers.ofString());

    assertThat(shedOpenAi.statusCode()).isEqualTo(503);
    assertThat(shedOpenAi.headers().firstValue("retry-after")).hasValue("1");
    assertThat(assertOpenAiError(shedOpenAi.body()).path("code").asText()).isEqualTo("overloaded");
    assertThat(shedAnthropic.statusCode()).isEqualTo(503);
    assertThat(shedAnthropic.headers().firstValue("retry-after")).isPresent();
    assertThat(assertAnthropicError(shedAnthropic.body()).path("type").asText())
        .isEqualTo("overloaded_error");

    for (CompletableFuture<HttpResponse<String>> stream : streams) {
      HttpResponse<String> finished = stream.get(30, TimeUnit.SECONDS);
      assertThat(finished.statusCode()).isEqualTo(200);
      assertThat(finished.body()).contains("data: [DONE]");
    }
  }

  @Test
  void shedRequestsAreCountedInTheMetricsOnceEach() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
    for (int i = 0; i < BOUND; i++) {
      streams.add(
          HttpClient.newHttpClient().sendAsync(chat(true), HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> upstream.inFlight() == BOUND);
    for (int i = 0; i < 3; i++) {
      assertThat(http.send(chat(false), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(503);
    }
    for (CompletableFuture<HttpResponse<String>> stream : streams) {
      assertThat(stream.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    var metrics =
        dev.portcullis.gateway.telemetry.PrometheusSamples.parse(
            AdminEndpointsTest.get(gateway, "/metrics").body());
    assertThat(metrics.find("portcullis_requests_total", "status", "503"))
        .extracting(dev.portcullis.gateway.telemetry.PrometheusSamples.Sample::value)
        .containsExactly(3.0);
    assertThat(metrics.find("portcullis_requests_total", "status", "200"))
        .extracting(dev.portcullis.gateway.telemetry.PrometheusSamples.Sample::value)
        .containsExactly((double) BOUND);
  }

  @Test
  void onceStreamsFinishNewRequestsAreServedAgain() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
    for (int i = 0; i < BOUND; i++) {
      streams.add(
          HttpClient.newHttpClient().sendAsync(chat(true), HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> upstream.inFlight() == BOUND);
    assertThat(http.send(chat(false), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(503);
    for (CompletableFuture<HttpResponse<String>> stream : streams) {
      stream.get(30, TimeUnit.SECONDS);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> http.send(chat(false), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
  }

  @Test
  void theAdminPortAnswersWhileTrafficIsShed() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
    for (int i = 0; i < BOUND; i++) {
      streams.add(
          HttpClient.newHttpClient().sendAsync(chat(true), HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> upstream.inFlight() == BOUND);
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.adminPort() + "/healthz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    for (CompletableFuture<HttpResponse<String>> stream : streams) {
      stream.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theDefaultBoundIsDerivedFromTheMaximumHeap() {
    assertThat(ServerLimits.concurrencyForHeap(320L * 1024 * 1024)).isEqualTo(1280);
    assertThat(ServerLimits.concurrencyForHeap(1024L * 1024)).isEqualTo(16);
    assertThat(ServerLimits.DEFAULTS.maxConcurrentRequests())
        .isEqualTo(ServerLimits.concurrencyForHeap(Runtime.getRuntime().maxMemory()));
  }

  @Test
  void aTrafficPortInUseFailsTheStartWithTheReason() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      GatewaySettings settings =
          new GatewaySettings("127.0.0.1", taken.getLocalPort(), 0, 1024, Duration.ofSeconds(1));
      assertThatThrownBy(() -> Gateway.start(settings))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("could not listen on port " + taken.getLocalPort());
    }
  }

  @Test
  void theProgramExitsNonZeroWhenItsPortIsInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      StringWriter err = new StringWriter();
      CommandLine cli = new CommandLine(new Main());
      cli.setErr(new PrintWriter(err));
      int exit =
          cli.execute(
              "--manifests",
              System.getProperty("java.io.tmpdir"),
              "--host",
              "127.0.0.1",
              "--port",
              Integer.toString(taken.getLocalPort()),
              "--admin-port",
              "0");
      assertThat(exit).isEqualTo(1);
    }
  }
}
