package dev.portcullis.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gateway.provider.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static List<JsonNode> lines(String text) throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  static RequestRecord fullRecord(TelemetryFixture f) {
    RequestRecord r = f.telemetry.begin("req-42", TelemetryFixture.CALLER_TRACEPARENT);
    r.call(WireFormat.ANTHROPIC, GenAiOperation.CHAT, true);
    r.key(f.checkout);
    r.route(f.chat, "gpt-4o");
    r.prompt("team-a/support-bot", "v2");
    r.guardrailVerdict("redacted:team-a/pii/no-pii");
    r.routed(f.secondary, 3, List.of("primary", "secondary"));
    f.advanceMillis(120);
    r.firstToken(f.nanos.get());
    f.advanceMillis(130);
    r.responseModel("claude-sonnet-4");
    r.usage(11, 7, 4);
    r.cost(1_250_000);
    r.cache("MISS", 0);
    r.bodies("{\"messages\":\"[EMAIL_1] asked\"}", "{\"content\":\"answer\"}");
    r.outcome(200, null);
    return r;
  }

  @Test
  void everyFinishedRequestIsOneJsonLineWithTheRecordsFields() throws Exception {
    try (TelemetryFixture f = new TelemetryFixture()) {
      f.telemetry.finish(fullRecord(f));

      List<JsonNode> lines = lines(f.logText());
      assertThat(lines).hasSize(1);
      JsonNode line = lines.getFirst();
      assertThat(line.get("request_id").asText()).isEqualTo("req-42");
      assertThat(line.get("trace_id").asText()).isEqualTo(TelemetryFixture.CALLER_TRACE_ID);
      assertThat(line.get("client_format").asText()).isEqualTo("anthropic");
      assertThat(line.get("namespace").asText()).isEqualTo("team-a");
      assertThat(line.get("key").asText()).isEqualTo("checkout");
      assertThat(line.get("key_id").asText()).isEqualTo("vk_checkout");
      assertThat(line.get("route").asText()).isEqualTo("team-a/chat");
      assertThat(line.get("target").asText()).isEqualTo("secondary");
      assertThat(line.get("provider").asText()).isEqualTo("anthropic");
      assertThat(line.get("targets_tried").toString()).isEqualTo("[\"primary\",\"secondary\"]");
      assertThat(line.get("attempts").asInt()).isEqualTo(3);
      assertThat(line.get("retries").asInt()).isEqualTo(1);
      assertThat(line.get("fallbacks").asInt()).isEqualTo(1);
      assertThat(line.get("status").asInt()).isEqualTo(200);
      assertThat(line.get("error_type").isNull()).isTrue();
      assertThat(line.get("latency_ms").asDouble()).isEqualTo(250.0);
      assertThat(line.get("ttft_ms").asDouble()).isEqualTo(120.0);
      assertThat(line.get("stream").asBoolean()).isTrue();
      assertThat(line.get("input_tokens").asLong()).isEqualTo(11);
      assertThat(line.get("output_tokens").asLong()).isEqualTo(7);
      assertThat(line.get("cached_input_tokens").asLong()).isEqualTo(4);
      assertThat(line.get("cost_usd").asText()).isEqualTo("0.00125");
      assertThat(line.get("cache").asText()).isEqualTo("MISS");
      assertThat(line.get("guardrails").toString()).isEqualTo("[\"redacted:team-a/pii/no-pii\"]");
      assertThat(line.get("prompt_template").asText()).isEqualTo("team-a/support-bot");
      assertThat(line.get("prompt_version").asText()).isEqualTo("v2");
      assertThat(line.get("ts").asText()).isEqualTo("2026-12-06T04:00:00Z");
    }
  }

  @Test
  void aLineHoldsNoKeyNoCredentialAndNoBodyUnlessTheRouteOptsIn() throws Exception {
    try (TelemetryFixture f = new TelemetryFixture()) {
      f.telemetry.finish(fullRecord(f));

      String text = f.logText();
      assertThat(text)
          .doesNotContain("pc-the-virtual-key-itself")
          .doesNotContain(f.checkout.hashes().getFirst().sha256Hex())
          .doesNotContain("sk-upstream-")
          .doesNotContain("EMAIL_1")
          .doesNotContain("answer");
      assertThat(lines(text).getFirst().has("request_body")).isFalse();
    }
  }

  @Test
  void aRouteWithLoggingBodiesGetsTheRedactedBodiesInItsLines() throws Exception {
    try (TelemetryFixture f = new TelemetryFixture(RequestTracing.OFF, true)) {
      f.telemetry.finish(fullRecord(f));

      JsonNode line = lines(f.logText()).getFirst();
      assertThat(line.get("request_body").asText()).isEqualTo("{\"messages\":\"[EMAIL_1] asked\"}");
      assertThat(line.get("response_body").asText()).isEqualTo("{\"content\":\"answer\"}");
    }
  }

  @Test
  void controlCharactersAndQuotesInValuesKeepTheLineValidJson() throws Exception {
    try (TelemetryFixture f = new TelemetryFixture()) {
      RequestRecord r = f.telemetry.begin("id \"with\"\nnewline\u0001", null);
      r.outcome(400, "bad_request");
      f.telemetry.finish(r);

      List<JsonNode> lines = lines(f.logText());
      assertThat(lines).hasSize(1);
      assertThat(lines.getFirst().get("request_id").asText())
          .isEqualTo("id \"with\"\nnewline\u0001");
      assertThat(lines.getFirst().get("key").isNull()).isTrue();
    }
  }

  @Test
  void aFileLogIsAppendedAndReachesTheDiskWithoutAnExplicitFlush(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("logs/access.jsonl");
    AccessLog log = AccessLog.of(file.toString());
    try (TelemetryFixture f = new TelemetryFixture()) {
      RecordingTelemetry telemetry =
          new RecordingTelemetry(null, log, RequestTracing.OFF, f.metrics.clock(), f.nanos::get);
      telemetry.finish(f.servedChat("gpt-4o", 3, 1, 1));
      telemetry.finish(f.servedChat("gpt-4o", 3, 1, 1));

      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> Files.exists(file) && Files.readAllLines(file).size() == 2);
      telemetry.close();
      assertThat(lines(Files.readString(file, StandardCharsets.UTF_8))).hasSize(2);
    }
  }

  @Test
  void aWriterThatFallsBehindDropsAndCountsLinesLosesNoCountAndNeverBlocksTheRequest()
      throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream slowDisk =
        new OutputStream() {
          @Override
          public void write(int b) {
            written.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            written.write(b, off, len);
          }

          @Override
          public void flush() throws IOException {
            stuck.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
          }
        };
    AccessLog log = new AccessLog(slowDisk, false);
    try (TelemetryFixture f = new TelemetryFixture()) {
      RecordingTelemetry telemetry =
          new RecordingTelemetry(
              f.metrics.requests(), log, RequestTracing.OFF, f.metrics.clock(), f.nanos::get, 4);
      telemetry.finish(f.servedChat("gpt-4o", 3, 1, 1));
      // The writer counts the first request, flushes its line within a quarter second and then
      // hangs on the stream.
      assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();

      long start = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        telemetry.finish(f.servedChat("gpt-4o", 3, 1, 1));
      }
      long tookMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(tookMillis).as("requests never wait for the stream").isLessThan(2_000);
      assertThat(log.droppedLines()).isEqualTo(96);
      // The queue (4) had no room for 96 records: their own threads counted them.
      assertThat(telemetry.writerOverflows()).isEqualTo(96);
      assertThat(requests200(f)).isEqualTo(97);
      release.countDown();
      telemetry.flush();
      assertThat(lines(written.toString(StandardCharsets.UTF_8))).hasSize(5);
      assertThat(requests200(f)).isEqualTo(101);
      telemetry.close();
    }
  }

  /** The served chats counted so far, without waiting for the fixture's own writer. */
  static double requests200(TelemetryFixture f) {
    return f.metrics
        .registry()
        .get("portcullis.requests")
        .tags(RequestMetricsTest.with(RequestMetricsTest.CHECKOUT_ON_PRIMARY, "status", "200"))
        .counter()
        .count();
  }

  @Test
  void droppedLinesAreAMetric(@TempDir Path dir) {
    GatewayMetrics metrics = new GatewayMetrics(java.time.Clock.systemUTC());
    try (Telemetry telemetry =
        new TelemetrySettings(true, dir.resolve("access.log").toString(), java.util.Map.of())
            .open(metrics, java.time.Clock.systemUTC())) {
      assertThat(metrics.scrape()).contains("portcullis_access_log_dropped_lines_total 0.0");
    }
    metrics.close();
  }

  @Test
  void aLineIsTheSameJsonAsTheFormerStringBuiltLine() throws Exception {
    try (TelemetryFixture f = new TelemetryFixture(RequestTracing.OFF, true)) {
      RequestRecord r = fullRecord(f);
      r.guardrailVerdict("flagged:team-a/pii/\u2028 line\u2029separators ünïcode \"q\"");
      f.advanceMillis(7);
      f.telemetry.finish(r);

      String text = f.logText();
      assertThat(text).endsWith("}\n").doesNotContain("\u2028").doesNotContain("\u2029");
      JsonNode line = lines(text).getFirst();
      assertThat(line.get("guardrails").get(1).asText())
          .isEqualTo("flagged:team-a/pii/\u2028 line\u2029separators ünïcode \"q\"");
      assertThat(line.get("latency_ms").asDouble()).isEqualTo(257.0);
      assertThat(line.get("limit_refusal").isNull()).isTrue();
      assertThat(line.get("hedges").asInt()).isZero();
      assertThat(line.get("response_model").asText()).isEqualTo("claude-sonnet-4");
      assertThat(line.get("operation").asText()).isEqualTo("chat");
    }
  }

  @Test
  void timestampsAndCostsAreFormattedLikeInstantAndBigDecimal() throws Exception {
    try (TelemetryFixture f = new TelemetryFixture()) {
      long[] costs = {0, 1, 1_000_000_000L, 12_340_000_000L, 999_999_999L, 1_250_000};
      for (long cost : costs) {
        RequestRecord r = f.telemetry.begin("c" + cost, null);
        r.cost(cost);
        r.outcome(200, null);
        f.telemetry.finish(r);
      }
      List<JsonNode> lines = lines(f.logText());
      for (int i = 0; i < costs.length; i++) {
        assertThat(lines.get(i).get("cost_usd").asText())
            .isEqualTo(dev.portcullis.gateway.cost.UsdAmount.format(costs[i]));
      }
    }
    for (long millis : new long[] {0L, 1L, 999L, 1_765_000_000_123L, 1_796_000_000_050L}) {
      RequestRecord r = new RequestRecord("t", 0, millis, null, null);
      assertThat(JSON.readTree(AccessLogLine.of(r)).get("ts").asText())
          .isEqualTo(java.time.Instant.ofEpochMilli(millis).toString());
    }
  }

  @Test
  void offWritesNothingAndStdoutIsTheDefault() {
    assertThat(AccessLog.of("off").enabled()).isFalse();
    assertThat(AccessLog.of(null).enabled()).isTrue();
    assertThat(AccessLog.of("stdout").enabled()).isTrue();
  }
}
