package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.fake.RecordedRequest;
import dev.portcullis.gateway.telemetry.PrometheusSamples;
import dev.portcullis.gateway.telemetry.TelemetrySettings;
import dev.portcullis.gateway.testing.TestSnapshots;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry end to end over real HTTP: a known mix of traffic (both client formats through the
 * official SDKs and raw HTTP, streams, upstream errors, a limit refusal) goes through a started
 * gateway, and what {@code /metrics}, the access-log file and an OTLP receiver show is compared
 * with what the clients saw.
 */
class TelemetryEndToEndTest {
  static final String KEY = "pc-telemetry-e2e-app-0123456789";
  static final String TIGHT_KEY = "pc-telemetry-e2e-tight-0123456789";
  static final String CALLER_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String CALLER_TRACEPARENT = "00-" + CALLER_TRACE_ID + "-b7ad6b7169203331-01";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  FakeUpstream fake;
  HttpServer otlp;
  final List<Span> spans = new CopyOnWriteArrayList<>();
  Gateway gateway;
  Path accessLog;
  HttpClient http = HttpClient.newHttpClient();

  /** What the clients saw, summed. */
  long requests;

  long inputTokens;
  long outputTokens;
  BigDecimal cost = BigDecimal.ZERO;
  BigDecimal tightCost = BigDecimal.ZERO;

  @BeforeEach
  void start() throws Exception {
    fake = FakeUpstream.start(0);
    otlp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    otlp.createContext(
        "/",
        exchange -> {
          InputStream body = exchange.getRequestBody();
          if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            body = new GZIPInputStream(body);
          }
          ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
          request.getResourceSpansList().stream()
              .flatMap(r -> r.getScopeSpansList().stream())
              .flatMap(s -> s.getSpansList().stream())
              .forEach(spans::add);
          byte[] reply = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    otlp.start();
    accessLog = dir.resolve("access.log");
    Map<String, String> env =
        Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://127.0.0.1:" + otlp.getAddress().getPort(),
            "OTEL_EXPORTER_OTLP_PROTOCOL",
            "http/protobuf",
            "OTEL_BSP_SCHEDULE_DELAY",
            "100");
    gateway =
        Gateway.start(
            GatewaySettings.ephemeral()
                .withTelemetry(new TelemetrySettings(true, accessLog.toString(), env)));
    String v1 = fake.baseUrl() + "/v1";
    Snapshot snapshot =
        TestSnapshots.builder()
            .route(
                "team-a",
                "chat",
                "gpt-4o",
                Mode.SINGLE,
                TestSnapshots.provider("openai-main", "openai", "gpt-4o", v1))
            .route(
                "team-a",
                "claude",
                "claude",
                Mode.SINGLE,
                TestSnapshots.provider(
                    "anthropic-main", "anthropic", "claude-sonnet-4", fake.baseUrl()))
            .route(
                "team-a",
                "down",
                "down",
                Mode.SINGLE,
                TestSnapshots.provider("broken", "openai", "gpt-4o;status=500", v1))
            .key(
                "team-a",
                "app",
                KEY,
                KeyConfig.Limits.NONE,
                new KeyConfig.Budget(
                    new BigDecimal("10"),
                    KeyConfig.Budget.Period.MONTHLY,
                    KeyConfig.Budget.Action.BLOCK),
                true)
            .key("team-a", "tight", TIGHT_KEY, new KeyConfig.Limits(1, null, null), null, true)
            .build();
    gateway.apply(snapshot);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    fake.close();
    otlp.stop(0);
  }

  OpenAIClient openai() {
    return OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
        .apiKey(KEY)
        .maxRetries(0)
        .build();
  }

  AnthropicClient anthropic() {
    return AnthropicOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + gateway.port())
        .apiKey(KEY)
        .maxRetries(0)
        .build();
  }

  void addCost(String usd) {
    assertThat(usd).as("x-portcullis-cost-usd").isNotNull();
    cost = cost.add(new BigDecimal(usd));
  }

  /** A raw streamed request; its usage and final cost comment are added to the sums. */
  void rawStream(String path, String body, String key, boolean anthropicFormat) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("content-type", "application/json")
                .header(
                    anthropicFormat ? "x-api-key" : "authorization", bearer(key, !anthropicFormat))
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    requests++;
    String finalCost = null;
    long input = 0;
    long output = 0;
    for (String line : response.body().split("\n")) {
      if (line.startsWith(":") && line.contains("x-portcullis-cost-usd=")) {
        finalCost = line.substring(line.indexOf('=') + 1).trim();
      }
      if (!line.startsWith("data:") || line.contains("[DONE]")) {
        continue;
      }
      JsonNode event = JSON.readTree(line.substring(5));
      JsonNode usage = event.path("usage");
      if (event.path("type").asText().equals("message_start")) {
        usage = event.path("message").path("usage");
      }
      if (usage.isObject()) {
        // Anthropic's counts are running totals (message_start, then message_delta); OpenAI's
        // come once, in the last chunk: the last value seen is the stream's.
        input = usage.path(anthropicFormat ? "input_tokens" : "prompt_tokens").asLong(input);
        output = usage.path(anthropicFormat ? "output_tokens" : "completion_tokens").asLong();
      }
    }
    inputTokens += input;
    outputTokens += output;
    addCost(finalCost);
  }

  static String bearer(String key, boolean bearer) {
    return bearer ? "Bearer " + key : key;
  }

  /** Sends the known mix; returns how many requests were answered with each status. */
  Map<Integer, Integer> sendTheMix() throws Exception {
    OpenAIClient openai = openai();
    AnthropicClient anthropic = anthropic();
    for (int i = 0; i < 3; i++) {
      com.openai.core.http.HttpResponseFor<ChatCompletion> served =
          openai
              .chat()
              .completions()
              .withRawResponse()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model("gpt-4o")
                      .addUserMessage("How many tokens is this question, number " + i + "?")
                      .build());
      ChatCompletion completion = served.parse();
      requests++;
      inputTokens += completion.usage().orElseThrow().promptTokens();
      outputTokens += completion.usage().orElseThrow().completionTokens();
      addCost(served.headers().values("x-portcullis-cost-usd").getFirst());
    }
    for (String model : List.of("claude", "gpt-4o")) {
      HttpResponseFor<Message> served =
          anthropic
              .messages()
              .withRawResponse()
              .create(
                  MessageCreateParams.builder()
                      .model(model)
                      .maxTokens(50)
                      .addUserMessage("Say something about " + model)
                      .build());
      Message message = served.parse();
      requests++;
      inputTokens += message.usage().inputTokens();
      outputTokens += message.usage().outputTokens();
      addCost(served.headers().values("x-portcullis-cost-usd").getFirst());
    }
    rawStream(
        "/v1/chat/completions",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"stream to me\"}]}",
        KEY,
        false);
    rawStream(
        "/v1/chat/completions",
        "{\"model\":\"claude\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"stream across formats\"}]}",
        KEY,
        false);
    rawStream(
        "/v1/messages",
        "{\"model\":\"claude\",\"stream\":true,\"max_tokens\":40,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"anthropic stream\"}]}",
        KEY,
        true);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(
              () ->
                  openai
                      .chat()
                      .completions()
                      .create(
                          ChatCompletionCreateParams.builder()
                              .model("down")
                              .addUserMessage("hi")
                              .build()))
          .isInstanceOf(com.openai.errors.InternalServerException.class);
      requests++;
    }
    OpenAIClient tight =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
            .apiKey(TIGHT_KEY)
            .maxRetries(0)
            .build();
    com.openai.core.http.HttpResponseFor<ChatCompletion> first =
        tight
            .chat()
            .completions()
            .withRawResponse()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4o")
                    .addUserMessage("first of the minute")
                    .build());
    ChatCompletion admitted = first.parse();
    requests++;
    tightCost = new BigDecimal(first.headers().values("x-portcullis-cost-usd").getFirst());
    addCost(tightCost.toPlainString());
    inputTokens += admitted.usage().orElseThrow().promptTokens();
    outputTokens += admitted.usage().orElseThrow().completionTokens();
    assertThatThrownBy(
            () ->
                tight
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("gpt-4o")
                            .addUserMessage("second of the minute")
                            .build()))
        .isInstanceOf(com.openai.errors.RateLimitException.class);
    requests++;
    return Map.of(200, 9, 500, 2, 429, 1);
  }

  PrometheusSamples scrape() throws Exception {
    HttpResponse<String> metrics = AdminEndpointsTest.get(gateway, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    return PrometheusSamples.parse(metrics.body());
  }

  static double sum(PrometheusSamples samples, String name, String... labels) {
    return samples.find(name, labels).stream().mapToDouble(PrometheusSamples.Sample::value).sum();
  }

  @Test
  void metricValuesEqualWhatTheClientsWereSentAndCharged() throws Exception {
    Map<Integer, Integer> byStatus = sendTheMix();
    PrometheusSamples m = scrape();

    byStatus.forEach(
        (status, count) ->
            assertThat(sum(m, "portcullis_requests_total", "status", status.toString()))
                .as("requests with status " + status)
                .isEqualTo(count.doubleValue()));
    assertThat(sum(m, "portcullis_requests_total")).isEqualTo(requests);
    assertThat(sum(m, "portcullis_tokens_total", "type", "input")).isEqualTo(inputTokens);
    assertThat(sum(m, "portcullis_tokens_total", "type", "output")).isEqualTo(outputTokens);
    assertThat(sum(m, "gen_ai_client_token_usage_sum", "gen_ai_token_type", "input"))
        .isEqualTo(inputTokens);
    assertThat(sum(m, "gen_ai_client_token_usage_sum", "gen_ai_token_type", "output"))
        .isEqualTo(outputTokens);
    assertThat(BigDecimal.valueOf(sum(m, "portcullis_cost_usd_total")))
        .isCloseTo(cost, org.assertj.core.data.Offset.offset(new BigDecimal("0.000000001")));
    assertThat(cost).isPositive();
    assertThat(
            sum(
                m,
                "portcullis_limit_refusals_total",
                "limit",
                "requests_per_minute",
                "key",
                "tight"))
        .isEqualTo(1);
    assertThat(sum(m, "portcullis_requests_total", "key", "app", "route", "team-a/down"))
        .isEqualTo(2);
    assertThat(sum(m, "gen_ai_server_request_duration_seconds_count")).isEqualTo(requests);
    // Every successful answer had a first byte: one time-to-first-token observation each.
    assertThat(sum(m, "gen_ai_server_time_to_first_token_seconds_count")).isEqualTo(9);
  }

  @Test
  void theBudgetGaugeShowsTheSpentShareOfTheKeysBudget() throws Exception {
    sendTheMix();
    PrometheusSamples m = scrape();
    BigDecimal spentByApp = cost.subtract(tightCost);
    assertThat(m.find("portcullis_key_budget_spent_ratio", "key", "tight"))
        .as("a key without a budget has no ratio")
        .isEmpty();
    double ratio =
        m.value("portcullis_key_budget_spent_ratio", "namespace", "team-a", "key", "app");
    assertThat(ratio).isPositive().isCloseTo(spentByApp.doubleValue() / 10.0, within(1e-12));
  }

  @Test
  void theAccessLogHasOneLinePerRequestAndNoSecret() throws Exception {
    sendTheMix();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(accessLog) && lines().size() == requests);
    List<String> lines = lines();
    Set<String> ids = new HashSet<>();
    for (String line : lines) {
      JsonNode entry = JSON.readTree(line);
      ids.add(entry.path("request_id").asText());
      assertThat(line)
          .doesNotContain(KEY)
          .doesNotContain(TIGHT_KEY)
          .doesNotContain("sk-upstream-")
          .doesNotContainIgnoringCase("bearer");
    }
    assertThat(ids).hasSize(lines.size());
    // Still one per request a moment later: nothing is logged twice.
    Thread.sleep(400);
    assertThat(lines()).hasSize((int) requests);
  }

  List<String> lines() throws Exception {
    return Files.readAllLines(accessLog, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank())
        .toList();
  }

  @Test
  void theCallersTraceReachesTheOtlpReceiverAndTheUpstream() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + KEY)
                .header("traceparent", CALLER_TRACEPARENT)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"trace\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);

    RecordedRequest upstream = fake.lastRequest();
    String sent = upstream.header("traceparent");
    assertThat(sent).as("traceparent the upstream got").startsWith("00-" + CALLER_TRACE_ID + "-");
    assertThat(sent).isNotEqualTo(CALLER_TRACEPARENT); // the gateway's own client span is parent

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                spans.stream().filter(s -> hex(s.getTraceId()).equals(CALLER_TRACE_ID)).count()
                    >= 2);
    List<Span> inTrace =
        spans.stream().filter(s -> hex(s.getTraceId()).equals(CALLER_TRACE_ID)).toList();
    assertThat(inTrace)
        .extracting(Span::getKind)
        .contains(Span.SpanKind.SPAN_KIND_SERVER, Span.SpanKind.SPAN_KIND_CLIENT);
    Span client =
        inTrace.stream()
            .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
            .findFirst()
            .orElseThrow();
    // The upstream's traceparent names the client span of that attempt as its parent.
    assertThat(sent).contains("-" + hex(client.getSpanId()) + "-");
  }

  static String hex(com.google.protobuf.ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  @Test
  void seriesStayBoundedUnderUnknownModelsAndBogusKeysOverHttp() throws Exception {
    sendBogus(0, 50);
    long before = requestSeries(scrape());
    sendBogus(50, 350);
    PrometheusSamples after = scrape();
    assertThat(requestSeries(after)).isEqualTo(before);
    assertThat(after.samples())
        .noneMatch(s -> s.labels().values().stream().anyMatch(v -> v.contains("unknown-model-")))
        .noneMatch(s -> s.labels().values().stream().anyMatch(v -> v.contains("pc-bogus")));
    assertThat(sum(after, "portcullis_requests_total", "status", "401")).isEqualTo(350);
    assertThat(sum(after, "portcullis_requests_total", "status", "404")).isEqualTo(350);
  }

  /** Samples of the request metrics (JVM metrics come and go with garbage collections). */
  static long requestSeries(PrometheusSamples samples) {
    return samples.samples().stream()
        .filter(s -> s.name().startsWith("portcullis_") || s.name().startsWith("gen_ai_"))
        .count();
  }

  void sendBogus(int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      for (String[] keyAndModel :
          List.of(
              new String[] {"pc-bogus-" + i, "gpt-4o"}, new String[] {KEY, "unknown-model-" + i})) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                    .header("content-type", "application/json")
                    .header("authorization", "Bearer " + keyAndModel[0])
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\""
                                + keyAndModel[1]
                                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isIn(401, 404);
      }
    }
  }
}
