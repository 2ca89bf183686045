package dev.portcullis.gateway;

import static dev.portcullis.gateway.testing.ErrorFormats.assertOpenAiError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.SecretScan;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout drops no stream: the gateway program runs as its own process (the {@code Main} a pod
 * runs, standalone on a manifest folder), 50 slow streams go through it to the fake upstream, and
 * the process gets SIGTERM. Every stream finishes normally, the gateway turns unready at once and
 * refuses new requests with 503 in the caller's format, and the process exits 0 before its drain
 * period is over.
 */
class SigtermDrainProcessTest {
  static final String KEY = "pc-sigterm-drain-app-0123456789";
  static final String CREDENTIAL = "sk-sigterm-drain-provider-credential";
  static final int STREAMS = 50;
  static final Duration GRACE = Duration.ofSeconds(30);

  @TempDir Path dir;
  FakeUpstream fake;
  Process gateway;
  Path output;
  Path accessLog;
  int port;
  int adminPort;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    // 30 tokens at 5 per second: each stream lasts about six seconds.
    fake = FakeUpstream.builder().host("127.0.0.1").requireApiKey(CREDENTIAL).start();
    Files.writeString(
        dir.resolve("gateway.yaml"),
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: provider}
        stringData: {apiKey: %s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: app-key}
        stringData: {apiKey: %s}
        ---
        apiVersion: portcullis.dev/v1alpha1
        kind: VirtualKey
        metadata: {name: app}
        spec: {secretName: app-key}
        ---
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: slow}
        spec:
          model: slow
          targets:
            - name: upstream
              provider: openai
              model: gpt-4o;tokens=30;tokens-per-second=5
              baseUrl: http://127.0.0.1:%d/v1
              credentials: {secretRef: {name: provider, key: apiKey}}
        """
            .formatted(CREDENTIAL, KEY, fake.port()));
    SecretScan.current()
        .secret("the provider credential", CREDENTIAL)
        .secret("the virtual key", KEY);
    port = freePort();
    adminPort = freePort();
    output = dir.resolve("gateway.out");
    accessLog = dir.resolve("access.log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(
        List.of(
            "--manifests",
            dir.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--admin-port",
            Integer.toString(adminPort),
            "--shutdown-grace",
            GRACE.toSeconds() + "s",
            "--access-log",
            accessLog.toString()));
    gateway =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(gateway.isAlive()).as(Files.readString(output)).isTrue();
              return admin("/readyz") == 200;
            });
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway.isAlive()) {
      gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    fake.close();
    SecretScan.observed("the gateway process's output", Files.readString(output));
    if (Files.exists(accessLog)) {
      SecretScan.observed("the gateway process's access log", Files.readString(accessLog));
    }
  }

  @Test
  void sigtermLetsFiftyStreamsFinishRefusesNewRequestsAndExitsZero() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      streams.add(http.sendAsync(chat(), HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> fake.inFlight() == STREAMS);

    long sigterm = System.nanoTime();
    gateway.destroy(); // SIGTERM

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> admin("/readyz") == 503);
    assertThat(admin("/healthz")).as("still live while draining").isEqualTo(200);
    HttpResponse<String> refused = newRequestDuringTheDrain();
    assertRefused(refused);

    for (CompletableFuture<HttpResponse<String>> stream : streams) {
      HttpResponse<String> res = stream.get(GRACE.toSeconds(), TimeUnit.SECONDS);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.body()).contains("data: [DONE]").doesNotContain("\"error\"");
      assertThat(res.body().split("\"delta\":\\{\"content\":").length - 1)
          .as("every token of the stream")
          .isEqualTo(30);
    }

    assertThat(gateway.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS)).as("exits").isTrue();
    Duration stopping = Duration.ofNanos(System.nanoTime() - sigterm);
    assertThat(gateway.exitValue()).as(Files.readString(output)).isZero();
    assertThat(stopping).as("within the drain period").isLessThan(GRACE);
    assertThat(Files.readString(output)).contains("draining in-flight requests");
    List<Integer> logged = accessLogStatuses();
    assertThat(logged).as("one line per request").hasSize(refused == null ? STREAMS : STREAMS + 1);
    assertThat(logged.stream().filter(s -> s == 200)).hasSize(STREAMS);
  }

  /** A new connection during the drain: refused, or answered 503 in the caller's format. */
  HttpResponse<String> newRequestDuringTheDrain() throws Exception {
    HttpClient fresh = HttpClient.newHttpClient();
    try {
      return fresh.send(chat(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      return null;
    }
  }

  static void assertRefused(HttpResponse<String> res) {
    if (res == null) {
      return; // connection refused: as good as a 503 for a client that retries elsewhere
    }
    assertThat(res.statusCode()).isEqualTo(503);
    assertThat(res.headers().firstValue("retry-after")).isPresent();
    assertThat(assertOpenAiError(res.body()).path("message").asText()).contains("shutting down");
  }

  List<Integer> accessLogStatuses() throws IOException {
    List<Integer> statuses = new ArrayList<>();
    for (String line : Files.readAllLines(accessLog, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        statuses.add(Integer.parseInt(line.replaceAll(".*\"status\":(\\d+).*", "$1")));
      }
    }
    return statuses;
  }

  HttpRequest chat() {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .header("authorization", "Bearer " + KEY)
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"slow\",\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  int admin(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
