package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.telemetry.PrometheusSamples;
import dev.portcullis.gateway.telemetry.TelemetrySettings;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gen_ai_response_model} is the model the upstream's answer names (whole bodies and streams,
 * OpenAI and Anthropic formats, translated too), as a label only when the configuration names that
 * model; any other name is {@code other}. The access log shows the name as answered.
 */
class ResponseModelTelemetryTest {
  static final String KEY = "pc-telemetry-response-model-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  FakeUpstream fake;
  Gateway gateway;
  Path accessLog;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    fake = FakeUpstream.start(0);
    accessLog = dir.resolve("access.log");
    gateway =
        Gateway.start(
            GatewaySettings.ephemeral()
                .withTelemetry(new TelemetrySettings(true, accessLog.toString(), Map.of())));
    String v1 = fake.baseUrl() + "/v1";
    gateway.apply(
        TestSnapshots.builder()
            .route(
                "team-a",
                "gpt",
                "m-gpt",
                Mode.SINGLE,
                TestSnapshots.provider("openai-main", "openai", "gpt-4o", v1))
            .route(
                "team-a",
                "claude",
                "m-claude",
                Mode.SINGLE,
                TestSnapshots.provider(
                    "anthropic-main", "anthropic", "claude-sonnet-4", fake.baseUrl()))
            // The fake answers as "gpt-4o-mini": a name no target is configured with.
            .route(
                "team-a",
                "unlisted",
                "m-unlisted",
                Mode.SINGLE,
                TestSnapshots.provider("openai-other", "openai", "gpt-4o-mini;tokens=5", v1))
            .key("team-a", "app", KEY)
            .build());
  }

  @AfterEach
  void stop() {
    gateway.close();
    fake.close();
  }

  HttpResponse<String> send(String path, String model, boolean stream) throws Exception {
    boolean anthropic = path.equals("/v1/messages");
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\""
                        + model
                        + "\",\"max_tokens\":16,\"stream\":"
                        + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    if (anthropic) {
      req.header("x-api-key", KEY).header("anthropic-version", "2023-06-01");
    } else {
      req.header("authorization", "Bearer " + KEY);
    }
    HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return res;
  }

  @Test
  void theAnsweringModelIsALabelWhenConfiguredAndOtherwiseOther() throws Exception {
    for (boolean stream : new boolean[] {false, true}) {
      send("/v1/chat/completions", "m-gpt", stream);
      send("/v1/messages", "m-claude", stream);
      // OpenAI client, Anthropic upstream: the translated answer names the upstream's model.
      send("/v1/chat/completions", "m-claude", stream);
      send("/v1/chat/completions", "m-unlisted", stream);
    }

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              PrometheusSamples m = metrics();
              String count = "gen_ai_server_request_duration_seconds_count";
              assertThat(sum(m, count, "gen_ai_response_model", "gpt-4o")).isEqualTo(2.0);
              assertThat(sum(m, count, "gen_ai_response_model", "claude-sonnet-4")).isEqualTo(4.0);
              assertThat(sum(m, count, "gen_ai_response_model", "other")).isEqualTo(2.0);
              assertThat(sum(m, count, "gen_ai_response_model", "none")).isZero();
              assertThat(m.anyWithLabel("gen_ai", "gen_ai_response_model", "gpt-4o-mini"))
                  .as("a name the configuration does not hold never becomes a label")
                  .isFalse();
            });

    gateway.telemetry().close(); // flushes the access log
    List<String> models = new ArrayList<>();
    for (String line : Files.readAllLines(accessLog)) {
      JsonNode json = JSON.readTree(line);
      models.add(json.get("response_model").asText());
    }
    assertThat(models)
        .containsExactlyInAnyOrder(
            "gpt-4o",
            "gpt-4o",
            "claude-sonnet-4",
            "claude-sonnet-4",
            "claude-sonnet-4",
            "claude-sonnet-4",
            "gpt-4o-mini",
            "gpt-4o-mini");
  }

  PrometheusSamples metrics() throws Exception {
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return PrometheusSamples.parse(res.body());
  }

  static double sum(PrometheusSamples m, String name, String... labels) {
    return m.find(name, labels).stream().mapToDouble(PrometheusSamples.Sample::value).sum();
  }
}
