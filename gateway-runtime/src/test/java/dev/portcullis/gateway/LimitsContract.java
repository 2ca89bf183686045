package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.KeyConfig.Budget;
import dev.portcullis.api.snapshot.KeyConfig.Budget.Action;
import dev.portcullis.api.snapshot.KeyConfig.Budget.Period;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.cost.UsdAmount;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.limits.KeyUsage;
import dev.portcullis.gateway.testing.MutableClock;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Key limits, budgets and cost end to end through real gateways and the fake upstream. Subclasses
 * choose the store: one gateway with in-process counters, or three gateways sharing Redis (requests
 * are spread over them in turn).
 */
abstract class LimitsContract {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();

  FakeUpstream fake;
  List<Gateway> gateways = new ArrayList<>();
  MutableClock clock = new MutableClock(Instant.now());
  final AtomicInteger turn = new AtomicInteger();
  Snapshot snapshot;

  /** Starts the gateways under test, all with this clock. */
  abstract List<Gateway> startGateways(MutableClock clock);

  @BeforeEach
  void start() throws Exception {
    fake = FakeUpstream.start(0);
    gateways = startGateways(clock);
    snapshot = snapshot();
    for (Gateway g : gateways) {
      g.apply(snapshot);
    }
  }

  @AfterEach
  void stop() {
    gateways.forEach(Gateway::close);
    fake.close();
  }

  Snapshot snapshot() {
    String openai = fake.baseUrl() + "/v1";
    return TestSnapshots.builder()
        .key("team-a", "rpm60", "pc-rpm60", limits(60, null, null), null, true)
        .key("team-a", "tpm", "pc-tpm", limits(null, 100, null), null, true)
        .key("team-a", "probe", "pc-probe", limits(null, 100, null), null, true)
        .key("team-a", "conc3", "pc-conc3", limits(null, null, 3), null, true)
        .key(
            "team-a",
            "budget",
            "pc-budget",
            KeyConfig.Limits.NONE,
            budget("0.005", Period.MONTHLY, Action.BLOCK),
            true)
        .key(
            "team-a",
            "daily",
            "pc-daily",
            KeyConfig.Limits.NONE,
            budget("0.0004", Period.DAILY, Action.BLOCK),
            true)
        .key(
            "team-a",
            "warn",
            "pc-warn",
            KeyConfig.Limits.NONE,
            budget("0.0004", Period.MONTHLY, Action.WARN),
            true)
        .key(
            "team-a",
            "release",
            "pc-release",
            limits(1, null, null),
            budget("1", Period.MONTHLY, Action.BLOCK),
            true)
        .key("team-a", "stream", "pc-stream", KeyConfig.Limits.NONE, null, true)
        .route(
            "team-a",
            "fast",
            "fast",
            Mode.SINGLE,
            TestSnapshots.withPricing(
                TestSnapshots.provider("openai", "openai", "m;tokens=4", openai), "0", "100"))
        .route(
            "team-a",
            "slow",
            "slow",
            Mode.SINGLE,
            TestSnapshots.withPricing(
                TestSnapshots.provider("openai", "openai", "m;tokens=4;latency=600ms", openai),
                "0",
                "100"))
        .route(
            "team-a",
            "claude",
            "claude",
            Mode.SINGLE,
            TestSnapshots.withPricing(
                TestSnapshots.provider("anthropic", "anthropic", "m;tokens=5", fake.baseUrl()),
                "10",
                "100"))
        .route(
            "team-a",
            "down",
            "down",
            Mode.SINGLE,
            TestSnapshots.provider("openai", "openai", "m;status=503", openai))
        .build();
  }

  static KeyConfig.Limits limits(Integer rpm, Integer tpm, Integer concurrent) {
    return new KeyConfig.Limits(rpm, tpm, concurrent);
  }

  static Budget budget(String usd, Period period, Action action) {
    return new Budget(new BigDecimal(usd), period, action);
  }

  Gateway next() {
    return gateways.get(Math.floorMod(turn.getAndIncrement(), gateways.size()));
  }

  HttpResponse<String> chat(String key, String model, String extra) throws Exception {
    String body =
        "{\"model\":\""
            + model
            + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
            + extra
            + "}";
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + next().port() + "/v1/chat/completions"))
            .header("authorization", "Bearer " + key)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  List<HttpResponse<String>> concurrently(int n, Callable<HttpResponse<String>> call)
      throws Exception {
    List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(call);
    }
    List<HttpResponse<String>> out = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
        out.add(f.get());
      }
    }
    return out;
  }

  KeyUsage usage(String name) {
    KeyConfig key =
        snapshot.keys().stream().filter(k -> k.id().name().equals(name)).findFirst().orElseThrow();
    return gateways.getFirst().usageLedger().usage(key);
  }

  static long status(List<HttpResponse<String>> responses, int status) {
    return responses.stream().filter(r -> r.statusCode() == status).count();
  }

  static long costNanos(HttpResponse<String> r) {
    return UsdAmount.toNanos(
        new BigDecimal(r.headers().firstValue("x-portcullis-cost-usd").orElseThrow()));
  }

  @Test
  void exactlySixtyOfTwoHundredConcurrentRequestsPassASixtyPerMinuteKey() throws Exception {
    var responses = concurrently(200, () -> chat("pc-rpm60", "fast", ""));
    assertThat(status(responses, 200)).isEqualTo(60);
    assertThat(status(responses, 429)).isEqualTo(140);
  }

  @Test
  void aRefusalCarriesOpenAiRateLimitHeadersAndError() throws Exception {
    concurrently(60, () -> chat("pc-rpm60", "fast", ""));
    HttpResponse<String> refused = chat("pc-rpm60", "fast", "");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("x-ratelimit-limit-requests")).contains("60");
    assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
    assertThat(refused.headers().firstValue("x-ratelimit-reset-requests")).isPresent();
    assertThat(refused.headers().firstValue("retry-after").map(Long::parseLong))
        .hasValueSatisfying(s -> assertThat(s).isBetween(1L, 60L));
    JsonNode error = JSON.readTree(refused.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(error.path("message").asText()).contains("team-a/rpm60", "60 requests per minute");
  }

  @Test
  void anAnthropicCallerIsRefusedInItsOwnFormat() throws Exception {
    concurrently(60, () -> chat("pc-rpm60", "fast", ""));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + next().port() + "/v1/messages"))
            .header("x-api-key", "pc-rpm60")
            .header("anthropic-version", "2023-06-01")
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"claude\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build();
    HttpResponse<String> refused = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(429);
    JsonNode body = JSON.readTree(refused.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("rate_limit_error");
  }

  @Test
  void tokensPerMinuteOvershootByAtMostOneReservation() throws Exception {
    // The same request on an idle key shows what one request reserves.
    HttpResponse<String> probe = chat("pc-probe", "slow", "");
    long reservation =
        100
            - Long.parseLong(
                probe.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
    assertThat(reservation).isPositive();
    var responses = concurrently(20, () -> chat("pc-tpm", "slow", ""));
    long admitted = status(responses, 200);
    assertThat(admitted * reservation).isLessThanOrEqualTo(100 + reservation);
    assertThat(admitted * reservation).isGreaterThanOrEqualTo(100);
    assertThat(
            JSON.readTree(
                    responses.stream()
                        .filter(r -> r.statusCode() == 429)
                        .findFirst()
                        .orElseThrow()
                        .body())
                .path("error")
                .path("message")
                .asText())
        .contains("100 tokens per minute");
  }

  @Test
  void theConcurrencyCapIsNeverExceeded() throws Exception {
    var responses = concurrently(30, () -> chat("pc-conc3", "slow", ""));
    assertThat(fake.maxInFlight()).isLessThanOrEqualTo(3);
    assertThat(status(responses, 200)).isBetween(3L, 27L);
    assertThat(status(responses, 429)).isPositive();
  }

  @Test
  void noRequestIsAdmittedOnceReservationsReachTheBudget() throws Exception {
    // Each request reserves 10 output tokens at $100/MTok = $0.001 against a $0.005 budget, and all
    // are in flight together, so exactly five fit.
    var responses = concurrently(20, () -> chat("pc-budget", "slow", ""));
    assertThat(status(responses, 200)).isEqualTo(5);
    HttpResponse<String> refused =
        responses.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    JsonNode error = JSON.readTree(refused.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("insufficient_quota");
    assertThat(error.path("message").asText()).contains("team-a/budget", "monthly budget");
  }

  @Test
  void settledSpendIsTheSumOfPerRequestCosts() throws Exception {
    var responses = concurrently(20, () -> chat("pc-budget", "slow", ""));
    long sum =
        responses.stream()
            .filter(r -> r.statusCode() == 200)
            .mapToLong(LimitsContract::costNanos)
            .sum();
    // 4 output tokens at $100/MTok each.
    assertThat(sum).isEqualTo(5 * 400_000L);
    KeyUsage usage = usage("budget");
    assertThat(usage.spentNanos()).isEqualTo(sum);
    assertThat(usage.reservedNanos()).isZero();
    assertThat(usage.requests()).isEqualTo(5);
    assertThat(
            responses.stream().filter(r -> r.statusCode() == 429).allMatch(r -> costNanos(r) == 0))
        .isTrue();
  }

  @Test
  void servedKeysAreListedOnceForTheUsageReportWhetherOrNotTheyHaveLimits() throws Exception {
    for (int i = 0; i < gateways.size(); i++) {
      assertThat(chat("pc-stream", "fast", "").statusCode()).isEqualTo(200);
      assertThat(chat("pc-budget", "fast", "").statusCode()).isEqualTo(200);
    }

    List<String> taken = new ArrayList<>();
    for (Gateway g : gateways) {
      g.usageLedger().takeChangedKeys().forEach(k -> taken.add(k.id().qualifiedName()));
    }

    assertThat(taken).contains("team-a/stream", "team-a/budget").doesNotContain("team-a/rpm60");
    for (Gateway g : gateways) {
      assertThat(g.usageLedger().takeChangedKeys()).isEmpty();
    }
  }

  @Test
  void aBudgetResetsWithItsPeriod() throws Exception {
    assertThat(chat("pc-daily", "fast", "").statusCode()).isEqualTo(200);
    HttpResponse<String> refused = chat("pc-daily", "fast", "");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("daily budget");
    clock.advance(Duration.ofDays(1));
    assertThat(chat("pc-daily", "fast", "").statusCode()).isEqualTo(200);
  }

  @Test
  void aWarnBudgetServesPastItAndSaysSo() throws Exception {
    HttpResponse<String> first = chat("pc-warn", "fast", "");
    assertThat(first.headers().firstValue("x-portcullis-budget")).isEmpty();
    HttpResponse<String> second = chat("pc-warn", "fast", "");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("x-portcullis-budget")).contains("exceeded");
  }

  @Test
  void anUpstreamFailureReleasesItsReservation() throws Exception {
    assertThat(chat("pc-release", "down", "").statusCode()).isEqualTo(503);
    KeyUsage afterFailure = usage("release");
    assertThat(afterFailure.requests()).isZero();
    assertThat(afterFailure.reservedNanos()).isZero();
    // The one request per minute was given back.
    assertThat(chat("pc-release", "fast", "").statusCode()).isEqualTo(200);
  }

  @Test
  void aStreamSettlesWithTheUpstreamsUsageAndHidesTheChunkTheClientDidNotAskFor() throws Exception {
    HttpResponse<String> r = chat("pc-stream", "fast", ",\"stream\":true");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("\"usage\":{").contains("data: [DONE]");
    assertThat(r.body()).contains(": x-portcullis-cost-usd=0.0004");
    assertThat(
            new String(fake.requests().getLast().body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("include_usage");
    KeyUsage usage = usage("stream");
    assertThat(usage.outputTokens()).isEqualTo(4);
    assertThat(usage.spentNanos()).isEqualTo(400_000L);
  }

  @Test
  void aStreamTheClientAskedUsageForIsCopiedAndSettled() throws Exception {
    HttpResponse<String> r =
        chat("pc-stream", "fast", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    assertThat(r.body()).contains("\"usage\"");
    assertThat(usage("stream").outputTokens()).isEqualTo(4);
  }

  @Test
  void anAnthropicStreamSettlesFromItsMessageDelta() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + next().port() + "/v1/messages"))
            .header("x-api-key", "pc-stream")
            .header("anthropic-version", "2023-06-01")
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"claude\",\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    KeyUsage usage = usage("stream");
    assertThat(usage.outputTokens()).isEqualTo(5);
    assertThat(usage.inputTokens()).isPositive();
    assertThat(r.body())
        .contains(": x-portcullis-cost-usd=" + UsdAmount.format(usage.spentNanos()));
  }

  @Test
  void everyResponseNamesItsCost() throws Exception {
    assertThat(chat("pc-stream", "fast", "").headers().firstValue("x-portcullis-cost-usd"))
        .contains("0.0004");
    assertThat(chat("pc-stream", "down", "").headers().firstValue("x-portcullis-cost-usd"))
        .contains("0");
  }
}
