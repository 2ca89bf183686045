package dev.portcullis.gateway;

import static dev.portcullis.gateway.testing.ErrorFormats.assertAnthropicError;
import static dev.portcullis.gateway.testing.ErrorFormats.assertNoStackTrace;
import static dev.portcullis.gateway.testing.ErrorFormats.assertOpenAiError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.limits.KeyUsage;
import dev.portcullis.gateway.telemetry.PrometheusSamples;
import dev.portcullis.gateway.telemetry.TelemetrySettings;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.math.BigDecimal;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream faults end to end: a started gateway on loopback, the fake upstream failing in each way
 * a provider fails (connection refused, reset before the headers, reset mid-stream, silent before
 * the headers and mid-stream, 429 and 5xx storms), driven by the official SDKs and raw HTTP.
 *
 * <p>Each case asserts what the client gets (a status and error in its own format, or mid-stream
 * the chunks so far and then its format's error event, no stack trace) and that every request is
 * counted exactly once: one {@code portcullis_requests_total} increment with the status the client
 * saw, one access-log line, and one settlement in the key's usage — nothing left reserved (budget
 * nor concurrency), failed requests not charged, served ones charged what the access log says.
 */
class UpstreamFaultsTest {
  static final String KEY = "pc-upstream-faults-app-0123456789";
  static final int STORM = 30;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Duration SHORT_TIMEOUT = Duration.ofMillis(400);

  static FakeUpstream fake;
  static int closedPort;

  @TempDir Path dir;
  Gateway gateway;
  Path accessLog;
  OpenAIClient openai;
  AnthropicClient anthropic;

  @BeforeAll
  static void startUpstream() throws Exception {
    fake = FakeUpstream.start(0);
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
  }

  @AfterAll
  static void stopUpstream() {
    fake.close();
  }

  static TargetConfig openAi(String name, String behaviour) {
    return TestSnapshots.withPricing(
        TestSnapshots.provider(name, "openai", "gpt-4o;" + behaviour, fake.baseUrl() + "/v1"),
        "2.50",
        "10.00");
  }

  static TargetConfig anthropicTarget(String name, String behaviour) {
    return TestSnapshots.withPricing(
        TestSnapshots.provider(name, "anthropic", "claude;" + behaviour, fake.baseUrl()),
        "3.00",
        "15.00");
  }

  static TargetConfig refusing(String name) {
    return TestSnapshots.withPricing(
        TestSnapshots.provider(name, "openai", "gpt-4o", "http://127.0.0.1:" + closedPort + "/v1"),
        "2.50",
        "10.00");
  }

  static TargetConfig silent(TargetConfig target) {
    return TestSnapshots.withTimeouts(target, null, SHORT_TIMEOUT);
  }

  @BeforeEach
  void start() throws Exception {
    fake.reset();
    accessLog = dir.resolve("access.log");
    gateway =
        Gateway.start(
            GatewaySettings.ephemeral()
                .withTelemetry(new TelemetrySettings(true, accessLog.toString(), Map.of())));
    TargetConfig ok = openAi("healthy", "tokens=5");
    gateway.apply(
        TestSnapshots.builder()
            .key(
                "team-a",
                "app",
                KEY,
                new KeyConfig.Limits(100_000, 100_000_000, STORM),
                new KeyConfig.Budget(
                    new BigDecimal("100"),
                    KeyConfig.Budget.Period.MONTHLY,
                    KeyConfig.Budget.Action.BLOCK),
                true)
            .route(TestSnapshots.routeSpec("refused", Mode.SINGLE, refusing("closed")))
            .route(
                TestSnapshots.routeSpec("refused-fallback", Mode.FALLBACK, refusing("closed"), ok))
            .route(
                TestSnapshots.routeSpec("reset", Mode.SINGLE, openAi("dropping", "reset=before")))
            .route(
                TestSnapshots.routeSpec(
                    "reset-fallback", Mode.FALLBACK, openAi("dropping", "reset=before"), ok))
            .route(
                TestSnapshots.routeSpec(
                    "reset-midstream",
                    Mode.SINGLE,
                    openAi("cut", "tokens=10;reset=during;reset-after=3")))
            .route(
                TestSnapshots.routeSpec(
                    "reset-midstream-anthropic",
                    Mode.SINGLE,
                    anthropicTarget("cut", "tokens=10;reset=during;reset-after=3")))
            .route(
                TestSnapshots.routeSpec(
                    "stall", Mode.SINGLE, silent(openAi("silent", "latency=5s"))))
            .route(
                TestSnapshots.routeSpec(
                    "stall-fallback", Mode.FALLBACK, silent(openAi("silent", "latency=5s")), ok))
            .route(
                TestSnapshots.routeSpec(
                    "stall-midstream",
                    Mode.SINGLE,
                    silent(openAi("stops", "tokens=6;tokens-per-second=0.5"))))
            .route(
                TestSnapshots.routeSpec(
                    "limited", Mode.SINGLE, openAi("busy", "status=429;retry-after=20ms")))
            .route(
                TestSnapshots.routeSpec(
                        "limited-retried",
                        Mode.SINGLE,
                        openAi("busy", "status=429;retry-after=20ms"))
                    .retry(2, Duration.ofMillis(10), Duration.ofMillis(20), Set.of(429), null))
            .route(
                TestSnapshots.routeSpec(
                    "limited-fallback",
                    Mode.FALLBACK,
                    openAi("busy", "status=429;retry-after=20ms"),
                    ok))
            .route(
                TestSnapshots.routeSpec(
                    "down", Mode.SINGLE, openAi("failing", "status=503;retry-after=20ms")))
            .route(
                TestSnapshots.routeSpec(
                        "down-retried",
                        Mode.SINGLE,
                        openAi("failing", "status=503;retry-after=20ms"))
                    .retry(2, Duration.ofMillis(10), Duration.ofMillis(20), Set.of(503), null))
            .route(
                TestSnapshots.routeSpec(
                    "down-fallback", Mode.FALLBACK, openAi("failing", "status=500"), ok))
            .route(
                TestSnapshots.routeSpec(
                    "slow-ok", Mode.SINGLE, openAi("slow", "tokens=2;latency=300ms")))
            .build());
    openai =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
            .apiKey(KEY)
            .maxRetries(0)
            .build();
    anthropic =
        AnthropicOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gateway.port())
            .apiKey(KEY)
            .maxRetries(0)
            .build();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  // ------------------------------------------------------------------------------------ cases

  @Test
  void connectionRefusedIsA502InEachFormatAndChargesNothing() throws Exception {
    assertThatThrownBy(() -> openai.chat().completions().create(chat("refused")))
        .isInstanceOf(com.openai.errors.InternalServerException.class)
        .satisfies(
            e ->
                assertThat(((com.openai.errors.OpenAIServiceException) e).statusCode())
                    .isEqualTo(502));
    HttpResponse<String> raw = post(anthropicRequest("refused", false));
    assertThat(raw.statusCode()).isEqualTo(502);
    assertAnthropicError(raw.body());

    assertEachRequestCountedOnce(Map.of(502, 2), 0);
  }

  @Test
  void connectionRefusedFallsBackAndIsCountedOnceAsServed() throws Exception {
    HttpResponse<String> res = post(openAiRequest("refused-fallback", false));
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("x-portcullis-target")).hasValue("healthy");

    assertEachRequestCountedOnce(Map.of(200, 1), 1);
    assertThat(metric("portcullis_fallbacks_total")).isEqualTo(1);
  }

  @Test
  void resetBeforeTheHeadersIsA502InEachFormat() throws Exception {
    HttpResponse<String> raw = post(openAiRequest("reset", false));
    assertThat(raw.statusCode()).isEqualTo(502);
    assertThat(assertOpenAiError(raw.body()).path("code").asText())
        .isEqualTo("upstream_unreachable");
    assertThatThrownBy(() -> anthropic.messages().create(message("reset")))
        .isInstanceOf(com.anthropic.errors.AnthropicServiceException.class)
        .satisfies(
            e ->
                assertThat(((com.anthropic.errors.AnthropicServiceException) e).statusCode())
                    .isEqualTo(502));

    assertEachRequestCountedOnce(Map.of(502, 2), 0);
  }

  @Test
  void resetBeforeTheHeadersFallsBack() throws Exception {
    var completion = openai.chat().completions().create(chat("reset-fallback"));
    assertThat(completion.choices()).isNotEmpty();

    assertEachRequestCountedOnce(Map.of(200, 1), 1);
  }

  @Test
  void resetMidStreamGivesTheChunksSoFarThenAnOpenAiErrorEvent() throws Exception {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              try (var stream =
                  openai.chat().completions().createStreaming(chat("reset-midstream"))) {
                stream.stream().forEach(chunks::add);
              }
            })
        .isInstanceOf(com.openai.errors.OpenAIException.class)
        .satisfies(e -> assertNoStackTrace(String.valueOf(e.getMessage())));
    assertThat(chunks).as("chunks before the cut").isNotEmpty();

    List<String> data = streamData(openAiRequest("reset-midstream", true));
    assertThat(data).doesNotContain("[DONE]");
    JsonNode last = JSON.readTree(data.getLast());
    assertThat(last.path("error").path("message").asText()).isNotEmpty();
    assertNoStackTrace(data.getLast());
    assertThat(data.size()).as("content chunks, then the error").isGreaterThan(2);

    // Both streams reached the client with 200 and were served in part: settled, not released.
    assertEachRequestCountedOnce(Map.of(200, 2), 2);
  }

  @Test
  void resetMidStreamGivesTheChunksSoFarThenAnAnthropicErrorEvent() throws Exception {
    List<RawMessageStreamEvent> events = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              try (var stream =
                  anthropic.messages().createStreaming(message("reset-midstream-anthropic"))) {
                stream.stream().forEach(events::add);
              }
            })
        .isInstanceOf(com.anthropic.errors.AnthropicException.class);
    assertThat(events).as("events before the cut").isNotEmpty();
    assertThat(events).noneMatch(RawMessageStreamEvent::isMessageStop);

    List<String> data = streamData(anthropicRequest("reset-midstream-anthropic", true));
    JsonNode last = JSON.readTree(data.getLast());
    assertThat(last.path("type").asText()).isEqualTo("error");
    assertThat(last.path("error").path("message").asText()).isNotEmpty();
    assertNoStackTrace(data.getLast());

    assertEachRequestCountedOnce(Map.of(200, 2), 2);
  }

  @Test
  void anUpstreamSilentBeforeItsHeadersIsA504InEachFormat() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> raw = post(openAiRequest("stall", true));
    assertThat(raw.statusCode()).isEqualTo(504);
    assertOpenAiError(raw.body());
    assertThatThrownBy(() -> anthropic.messages().create(message("stall")))
        .isInstanceOf(com.anthropic.errors.AnthropicServiceException.class)
        .satisfies(
            e ->
                assertThat(((com.anthropic.errors.AnthropicServiceException) e).statusCode())
                    .isEqualTo(504));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));

    assertEachRequestCountedOnce(Map.of(504, 2), 0);
  }

  @Test
  void anUpstreamSilentBeforeItsHeadersFallsBack() throws Exception {
    HttpResponse<String> res = post(openAiRequest("stall-fallback", false));
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("x-portcullis-attempts")).hasValue("2");

    assertEachRequestCountedOnce(Map.of(200, 1), 1);
  }

  @Test
  void anUpstreamThatStopsMidStreamIsEndedByTheReadTimeout() throws Exception {
    long start = System.nanoTime();
    List<String> openAiData = streamData(openAiRequest("stall-midstream", true));
    List<String> anthropicData = streamData(anthropicRequest("stall-midstream", true));
    // Six tokens at one per two seconds would take ten; the 400 ms read timeout ends both early.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

    assertThat(openAiData).doesNotContain("[DONE]");
    assertThat(JSON.readTree(openAiData.getLast()).path("error").path("message").asText())
        .isNotEmpty();
    assertThat(JSON.readTree(anthropicData.getLast()).path("type").asText()).isEqualTo("error");

    assertEachRequestCountedOnce(Map.of(200, 2), 2);
  }

  @Test
  void a429StormPassesEach429OnceWithRetryAfter() throws Exception {
    List<HttpResponse<String>> answers = storm("limited");
    for (HttpResponse<String> res : answers) {
      assertThat(res.statusCode()).isEqualTo(429);
      assertThat(res.headers().firstValue("retry-after")).isPresent();
      assertOpenAiError(res.body());
    }
    assertThat(fake.requestCount()).isEqualTo(STORM);

    assertEachRequestCountedOnce(Map.of(429, STORM), 0);
  }

  @Test
  void a429StormWithRetriesStaysWithinTheRetryBudget() throws Exception {
    List<HttpResponse<String>> answers = storm("limited-retried");
    long upstream = fake.requestCount();
    answers.forEach(res -> assertThat(res.statusCode()).isEqualTo(429));
    answers.forEach(res -> assertOpenAiError(res.body()));

    assertRetriesWithinBudget(upstream);
    assertEachRequestCountedOnce(Map.of(429, STORM), 0);
  }

  @Test
  void a429StormWithAFallbackIsServedAndChargedOncePerRequest() throws Exception {
    List<HttpResponse<String>> answers = storm("limited-fallback");
    answers.forEach(res -> assertThat(res.statusCode()).isEqualTo(200));

    assertChargedWhatTheClientsWereTold(answers);
    assertEachRequestCountedOnce(Map.of(200, STORM), STORM);
    assertThat(metric("portcullis_fallbacks_total")).isEqualTo(STORM);
  }

  @Test
  void a5xxStormPassesEachErrorOnce() throws Exception {
    List<HttpResponse<String>> answers = storm("down");
    answers.forEach(res -> assertThat(res.statusCode()).isEqualTo(503));
    answers.forEach(res -> assertOpenAiError(res.body()));
    assertThat(fake.requestCount()).isEqualTo(STORM);

    assertEachRequestCountedOnce(Map.of(503, STORM), 0);
  }

  @Test
  void a5xxStormWithRetriesStaysWithinTheRetryBudget() throws Exception {
    List<HttpResponse<String>> answers = storm("down-retried");
    long upstream = fake.requestCount();
    answers.forEach(res -> assertThat(res.statusCode()).isEqualTo(503));
    answers.forEach(res -> assertOpenAiError(res.body()));

    assertRetriesWithinBudget(upstream);
    assertEachRequestCountedOnce(Map.of(503, STORM), 0);
  }

  @Test
  void a5xxStormWithAFallbackIsServedAndChargedOncePerRequest() throws Exception {
    List<HttpResponse<String>> answers = storm("down-fallback");
    answers.forEach(res -> assertThat(res.statusCode()).isEqualTo(200));

    assertChargedWhatTheClientsWereTold(answers);
    assertEachRequestCountedOnce(Map.of(200, STORM), STORM);
  }

  // ------------------------------------------------------------------------- the accounting

  /**
   * Every request the clients sent shows once in each of the three ledgers, with the status the
   * client saw; only {@code served} of them count as served requests, and nothing stays reserved.
   */
  void assertEachRequestCountedOnce(Map<Integer, Integer> statuses, int served) throws Exception {
    int total = statuses.values().stream().mapToInt(Integer::intValue).sum();
    await().atMost(Duration.ofSeconds(10)).until(() -> accessLogLines().size() >= total);
    Thread.sleep(400); // a line or a count written twice would show by now
    List<JsonNode> lines = accessLogLines();
    assertThat(lines).as("access-log lines").hasSize(total);
    assertThat(byStatus(lines, l -> l.path("status").asInt())).isEqualTo(new TreeMap<>(statuses));
    Set<String> ids = new HashSet<>();
    lines.forEach(l -> ids.add(l.path("request_id").asText()));
    assertThat(ids).as("request ids").hasSize(total);
    assertThat(lines).allSatisfy(l -> assertThat(l.path("key").asText()).isEqualTo("app"));

    PrometheusSamples m = scrape();
    statuses.forEach(
        (status, count) ->
            assertThat(sum(m, "portcullis_requests_total", "status", status.toString()))
                .as("portcullis_requests_total{status=%s}", status)
                .isEqualTo(count.doubleValue()));
    assertThat(sum(m, "portcullis_requests_total")).isEqualTo(total);

    KeyConfig key = gateway.appliedSnapshot().keys().getFirst();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(usage(key).reservedNanos()).as("reserved").isZero());
    KeyUsage usage = usage(key);
    assertThat(usage.requests()).as("served requests in the key's usage").isEqualTo(served);
    long loggedCost =
        lines.stream().mapToLong(l -> nanos(new BigDecimal(l.path("cost_usd").asText("0")))).sum();
    assertThat(usage.spentNanos()).as("spend = the access log's costs").isEqualTo(loggedCost);
    assertThat(Math.round(sum(m, "portcullis_cost_usd_total") * 1e9))
        .as("cost metric")
        .isCloseTo(loggedCost, org.assertj.core.data.Offset.offset(1 + loggedCost / 1_000_000));
    if (served == 0) {
      assertThat(usage.spentNanos()).as("nothing served, nothing charged").isZero();
    } else {
      assertThat(usage.spentNanos()).as("served requests are charged").isPositive();
    }
    assertNoConcurrencySlotLeft();
  }

  /** The key admits as many requests at once as its cap: no slot of a failed request is kept. */
  void assertNoConcurrencySlotLeft() throws Exception {
    List<HttpResponse<String>> answers = storm("slow-ok");
    assertThat(answers)
        .as("a full cap of concurrent requests after the faults")
        .allSatisfy(res -> assertThat(res.statusCode()).isEqualTo(200));
  }

  void assertRetriesWithinBudget(long upstreamRequests) throws Exception {
    double retries = metric("portcullis_retries_total");
    // The route's retry budget: at most max(5, 20% of its requests) retries in the window.
    assertThat(retries).isPositive().isLessThanOrEqualTo(Math.max(5, 0.2 * STORM));
    assertThat(upstreamRequests).isEqualTo(STORM + (long) retries);
  }

  void assertChargedWhatTheClientsWereTold(List<HttpResponse<String>> answers) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> usage(gateway.appliedSnapshot().keys().getFirst()).reservedNanos() == 0);
    long told =
        answers.stream()
            .mapToLong(
                r ->
                    nanos(
                        new BigDecimal(
                            r.headers().firstValue("x-portcullis-cost-usd").orElseThrow())))
            .sum();
    KeyUsage usage = usage(gateway.appliedSnapshot().keys().getFirst());
    assertThat(usage.spentNanos()).isEqualTo(told);
  }

  KeyUsage usage(KeyConfig key) {
    return gateway.usageLedger().usage(key);
  }

  static long nanos(BigDecimal usd) {
    return usd.movePointRight(9).longValueExact();
  }

  static Map<Integer, Integer> byStatus(List<JsonNode> lines, Function<JsonNode, Integer> status) {
    Map<Integer, Integer> counts = new TreeMap<>();
    lines.forEach(l -> counts.merge(status.apply(l), 1, Integer::sum));
    return counts;
  }

  List<JsonNode> accessLogLines() throws Exception {
    if (!Files.exists(accessLog)) {
      return List.of();
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(accessLog, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  PrometheusSamples scrape() throws Exception {
    return PrometheusSamples.parse(AdminEndpointsTest.get(gateway, "/metrics").body());
  }

  double metric(String name) throws Exception {
    return sum(scrape(), name);
  }

  static double sum(PrometheusSamples samples, String name, String... labels) {
    return samples.find(name, labels).stream().mapToDouble(PrometheusSamples.Sample::value).sum();
  }

  // ---------------------------------------------------------------------------------- clients

  static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi there").build();
  }

  static MessageCreateParams message(String model) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(50)
        .addUserMessage("hi there")
        .build();
  }

  HttpRequest openAiRequest(String model, boolean stream) {
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
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}"))
        .build();
  }

  HttpRequest anthropicRequest(String model, boolean stream) {
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
                    + ",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  static HttpResponse<String> post(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The data lines of a streamed answer (status 200), without the {@code data: } prefix. */
  static List<String> streamData(HttpRequest request) throws Exception {
    HttpResponse<String> res = post(request);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertNoStackTrace(res.body());
    List<String> data = new ArrayList<>();
    for (String line : res.body().split("\n")) {
      if (line.startsWith("data:")) {
        data.add(line.substring(5).strip());
      }
    }
    assertThat(data).isNotEmpty();
    return data;
  }

  /** {@link #STORM} concurrent non-streamed requests to {@code model}. */
  List<HttpResponse<String>> storm(String model) throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < STORM; i++) {
        sent.add(pool.submit(() -> post(openAiRequest(model, false))));
      }
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> f : sent) {
        answers.add(f.get());
      }
      return answers;
    }
  }
}
