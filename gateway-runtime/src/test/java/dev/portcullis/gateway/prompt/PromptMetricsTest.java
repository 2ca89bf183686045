package dev.portcullis.gateway.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.api.manifest.ManifestReader;
import dev.portcullis.api.manifest.ManifestSet;
import dev.portcullis.api.resolve.Resolution;
import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.telemetry.PrometheusSamples;
import dev.portcullis.gateway.telemetry.TelemetrySettings;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt template's versions in {@code /metrics} and the access log, over real HTTP: the {@code
 * portcullis_prompt_*} series show what the clients got per version (the same counts the operator
 * writes into {@code PromptTemplate.status}), and a version the configuration drops takes its
 * series with it.
 */
class PromptMetricsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String KEY = "pc-test-prompt-metrics-7c1d2e3f4a5b6c7d";

  /** v1 and v2 answer; v3 goes to a route whose upstream fails. */
  private static final String MANIFESTS =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: chat, namespace: team-a}
      spec:
        model: chat
        targets:
          - name: fake
            provider: openai-compatible
            baseUrl: http://127.0.0.1:PORT/v1
            model: fake-chat
            pricing: {inputPerMTok: "1.00", outputPerMTok: "2.00"}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: down, namespace: team-a}
      spec:
        model: down
        targets:
          - name: broken
            provider: openai-compatible
            baseUrl: http://127.0.0.1:PORT/v1
            model: fake-chat;status=400
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: PromptTemplate
      metadata: {name: support-bot, namespace: team-a}
      spec:
        variables: [{name: question, required: true}]
        versions:
          - name: v1
            messages: [{role: user, content: "{{question}}"}]
            route: {name: chat}
          - name: v2
            messages: [{role: user, content: "Briefly: {{question}}"}]
            route: {name: chat}
          VERSION3
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: VirtualKey
      metadata: {name: app, namespace: team-a}
      spec: {secretName: app-key}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: app-key, namespace: team-a}
      stringData: {apiKey: KEY}
      """;

  private static final String VERSION3 =
      "- name: v3\n"
          + "      messages: [{role: user, content: \"{{question}}\"}]\n"
          + "      route: {name: down}";

  @TempDir Path dir;
  FakeUpstream fake;
  Gateway gateway;
  Path accessLog;

  @BeforeEach
  void start() throws Exception {
    fake = FakeUpstream.start(0);
    accessLog = dir.resolve("access.log");
    gateway =
        Gateway.start(
            GatewaySettings.ephemeral()
                .withTelemetry(new TelemetrySettings(true, accessLog.toString(), Map.of())));
    gateway.apply(snapshot(true));
  }

  @AfterEach
  void stop() {
    gateway.close();
    fake.close();
  }

  Snapshot snapshot(boolean withVersion3) throws Exception {
    Path manifests = Files.createDirectories(dir.resolve(withVersion3 ? "all" : "without-v3"));
    Files.writeString(
        manifests.resolve("prompts.yaml"),
        MANIFESTS
            .replace("VERSION3", withVersion3 ? VERSION3 : "")
            .replace("KEY", KEY)
            .replace("PORT", Integer.toString(fake.port())),
        StandardCharsets.UTF_8);
    ManifestSet set = ManifestReader.readDirectory(manifests, name -> null);
    assertThat(set.problems()).isEmpty();
    Resolution resolution = SnapshotResolver.resolve(set.toResourceSet());
    assertThat(resolution.isClean()).as(resolution.problems().toString()).isTrue();
    return resolution.snapshot();
  }

  HttpResponse<String> prompt(String action, String version) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + gateway.port() + "/v1/prompts/support-bot/" + action))
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + KEY)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"version\":\"" + version + "\",\"variables\":{\"question\":\"Hi?\"}}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  PrometheusSamples scrape() throws Exception {
    HttpResponse<String> metrics =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    return PrometheusSamples.parse(metrics.body());
  }

  static String[] version(String version) {
    return new String[] {"template", "team-a/support-bot", "version", version};
  }

  @Test
  void eachVersionsRequestsErrorsTokensCostAndDurationAreMetricsLabelledByTemplateAndVersion()
      throws Exception {
    long input = 0;
    long output = 0;
    BigDecimal cost = BigDecimal.ZERO;
    for (String v : List.of("v1", "v2", "v1")) {
      HttpResponse<String> answer = prompt("completions", v);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonNode usage = Jackson.MAPPER.readTree(answer.body()).path("usage");
      if (v.equals("v1")) {
        input += usage.path("prompt_tokens").asLong();
        output += usage.path("completion_tokens").asLong();
        cost = cost.add(new BigDecimal(answer.headers().firstValue("x-portcullis-cost-usd").get()));
      }
    }
    assertThat(prompt("render", "v2").statusCode()).isEqualTo(200); // calls no model: not counted
    HttpResponse<String> failed = prompt("completions", "v3");
    assertThat(failed.statusCode()).as(failed.body()).isGreaterThanOrEqualTo(400);

    PrometheusSamples samples =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                this::scrape,
                s -> s.find("portcullis_prompt_requests_total", version("v3")).size() == 1);

    assertThat(samples.value("portcullis_prompt_requests_total", version("v1"))).isEqualTo(2);
    assertThat(samples.value("portcullis_prompt_requests_total", version("v2"))).isEqualTo(1);
    assertThat(samples.value("portcullis_prompt_errors_total", version("v1"))).isZero();
    assertThat(samples.value("portcullis_prompt_errors_total", version("v3"))).isEqualTo(1);
    assertThat(input).isPositive();
    assertThat(
            samples.value(
                "portcullis_prompt_tokens_total",
                "template",
                "team-a/support-bot",
                "version",
                "v1",
                "type",
                "input"))
        .isEqualTo(input);
    assertThat(
            samples.value(
                "portcullis_prompt_tokens_total",
                "template",
                "team-a/support-bot",
                "version",
                "v1",
                "type",
                "output"))
        .isEqualTo(output);
    assertThat(samples.value("portcullis_prompt_cost_usd_total", version("v1")))
        .isCloseTo(cost.doubleValue(), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(samples.value("portcullis_prompt_request_duration_seconds_count", version("v1")))
        .isEqualTo(2);
    assertThat(samples.value("portcullis_prompt_request_duration_seconds_sum", version("v1")))
        .isGreaterThanOrEqualTo(0);
  }

  @Test
  void theAccessLogNamesTheTemplateAPromptRequestWasRenderedFrom() throws Exception {
    assertThat(prompt("completions", "v2").statusCode()).isEqualTo(200);

    JsonNode line =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    Files.exists(accessLog)
                        ? Files.readAllLines(accessLog).stream()
                            .filter(l -> !l.isBlank())
                            .map(PromptMetricsTest::json)
                            .findFirst()
                            .orElse(null)
                        : null,
                l -> l != null);
    assertThat(line.path("route").asText()).isEqualTo("team-a/chat");
    assertThat(line.path("prompt_template").asText()).isEqualTo("team-a/support-bot");
    assertThat(line.path("prompt_version").asText()).isEqualTo("v2");
  }

  @Test
  void aVersionTheConfigurationNoLongerServesTakesItsSeriesWithIt() throws Exception {
    assertThat(prompt("completions", "v1").statusCode()).isEqualTo(200);
    assertThat(prompt("completions", "v3").statusCode()).isGreaterThanOrEqualTo(400);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> scrape().find("portcullis_prompt_requests_total", version("v3")).size() == 1);

    gateway.apply(snapshot(false));

    PrometheusSamples samples = scrape();
    assertThat(samples.find("portcullis_prompt_requests_total", version("v3"))).isEmpty();
    assertThat(samples.find("portcullis_prompt_request_duration_seconds_count", version("v3")))
        .isEmpty();
    assertThat(samples.value("portcullis_prompt_requests_total", version("v1"))).isEqualTo(1);
  }

  static JsonNode json(String line) {
    try {
      return Jackson.MAPPER.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
