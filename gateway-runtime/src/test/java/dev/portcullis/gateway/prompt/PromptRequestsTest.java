package dev.portcullis.gateway.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.api.manifest.ManifestReader;
import dev.portcullis.api.manifest.ManifestSet;
import dev.portcullis.api.resolve.Resolution;
import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.fake.RecordedRequest;
import dev.portcullis.gateway.json.Jackson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prompt requests and a route's default template over real HTTP: manifests resolved as standalone
 * mode resolves them, a gateway on loopback, and the fake upstream recording what reached it.
 */
class PromptRequestsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String KEY = "pc-test-prompt-requests-5b1f0c2d9e8a7b6c";
  private static final String SUPPORT_ONLY_KEY = "pc-test-prompt-support-only-0a9b8c7d6e5f";

  /** A template with a section, an inverted section and a list section; v1 and v2 go to routes. */
  private static final String MANIFESTS =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: chat}
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
      metadata: {name: support}
      spec:
        model: support
        targets:
          - name: fake
            provider: openai-compatible
            baseUrl: http://127.0.0.1:PORT/v1
            model: fake-support
            pricing: {inputPerMTok: "1.00", outputPerMTok: "2.00"}
        promptTemplate: {name: support-bot}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: PromptTemplate
      metadata: {name: support-bot}
      spec:
        variables:
          - {name: question, required: true}
          - {name: tone, default: friendly}
          - {name: context}
          - {name: examples}
        versions:
          - name: v1
            messages:
              - {role: system, content: "You are a {{tone}} support agent."}
              - {role: user, content: "{{question}}"}
            params: {temperature: 0.3, max_tokens: 500}
            route: {name: chat}
          - name: v2
            messages:
              - role: system
                content: "Be {{tone}} & brief.{{#context}} Context: {{context}}.{{/context}}{{^context}} No context.{{/context}}{{#examples}} Example: {{.}}{{/examples}}"
              - {role: user, content: "{{question}}"}
            params: {temperature: 0.7}
        rollout:
          - {version: v1, weight: 50}
          - {version: v2, weight: 50}
        stickyOn: metadata.user_id
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: VirtualKey
      metadata: {name: app}
      spec:
        secretName: app-key
        routes: [chat, support]
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: app-key}
      stringData: {apiKey: KEY}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: VirtualKey
      metadata: {name: support-only}
      spec:
        secretName: support-only-key
        routes: [support]
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: support-only-key}
      stringData: {apiKey: SUPPORT_ONLY_KEY}
      """;

  @TempDir Path dir;
  FakeUpstream fake;
  Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    fake = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    Files.writeString(
        dir.resolve("prompts.yaml"),
        MANIFESTS
            .replace("SUPPORT_ONLY_KEY", SUPPORT_ONLY_KEY)
            .replace("KEY", KEY)
            .replace("PORT", Integer.toString(fake.port())),
        StandardCharsets.UTF_8);
    ManifestSet manifests = ManifestReader.readDirectory(dir, name -> null);
    assertThat(manifests.problems()).isEmpty();
    Resolution resolution = SnapshotResolver.resolve(manifests.toResourceSet());
    assertThat(resolution.isClean()).as(resolution.problems().toString()).isTrue();
    gateway.apply(resolution.snapshot());
  }

  @AfterEach
  void stop() {
    gateway.close();
    fake.close();
  }

  private HttpResponse<String> post(String path, String body) {
    return post(path, body, KEY, Map.of());
  }

  private HttpResponse<String> post(
      String path, String body, String key, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(body.replace('\'', '"')));
    headers.forEach(request::header);
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return Jackson.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The one request the fake received, as JSON. */
  private JsonNode received() {
    assertThat(fake.requests()).hasSize(1);
    RecordedRequest recorded = fake.lastRequest();
    assertThat(recorded.path()).isEqualTo("/v1/chat/completions");
    return json(recorded.bodyText());
  }

  @Test
  void renderAnswersTheRenderedRequestWithItsVersionWithoutCallingAModel() {
    HttpResponse<String> res =
        post("/v1/prompts/support-bot/render", "{'version':'v1','variables':{'question':'Why?'}}");

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-prompt-version")).isEqualTo("v1");
    assertThat(header(res, "x-portcullis-route")).isEqualTo("default/chat");
    assertThat(json(res.body()))
        .isEqualTo(
            json(
                "{\"model\":\"chat\",\"messages\":["
                    + "{\"role\":\"system\",\"content\":\"You are a friendly support agent.\"},"
                    + "{\"role\":\"user\",\"content\":\"Why?\"}],"
                    + "\"temperature\":0.3,\"max_tokens\":500,\"version\":\"v1\"}"));
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void aSectionShowsWhenItsVariableIsSetAndRepeatsOverAList() {
    HttpResponse<String> res =
        post(
            "/v1/prompts/support-bot/render",
            "{'version':'v2','variables':{'question':'Q','tone':'calm',"
                + "'context':'billing','examples':['one','two']}}");

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(json(res.body()).at("/messages/0/content").asText())
        .as("no HTML escaping of &")
        .isEqualTo("Be calm & brief. Context: billing. Example: one Example: two");
    assertThat(json(res.body()).path("model").asText()).isEqualTo("support");
  }

  @Test
  void anInvertedSectionShowsWhenItsVariableIsAbsent() {
    HttpResponse<String> res =
        post("/v1/prompts/support-bot/render", "{'version':'v2','variables':{'question':'Q'}}");

    assertThat(json(res.body()).at("/messages/0/content").asText())
        .isEqualTo("Be friendly & brief. No context.");
  }

  @Test
  void completionsSendsVersionOneRenderedToItsRouteWithTheBodysParamsOverridingTheVersions() {
    HttpResponse<String> res =
        post(
            "/v1/prompts/support-bot/completions",
            "{'version':'v1','variables':{'question':'Where is my order?'},'temperature':0.9}");

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-prompt-version")).isEqualTo("v1");
    assertThat(header(res, "x-portcullis-route")).isEqualTo("default/chat");
    assertThat(json(res.body()).at("/choices/0/message/content").asText()).isNotEmpty();
    JsonNode upstream = received();
    assertThat(upstream.path("model").asText()).isEqualTo("fake-chat");
    assertThat(upstream.path("messages"))
        .isEqualTo(
            json(
                "[{\"role\":\"system\",\"content\":\"You are a friendly support agent.\"},"
                    + "{\"role\":\"user\",\"content\":\"Where is my order?\"}]"));
    assertThat(upstream.path("temperature").asDouble()).isEqualTo(0.9);
    assertThat(upstream.path("max_tokens").asInt()).isEqualTo(500);
    assertThat(upstream.has("variables")).isFalse();
    assertThat(upstream.has("version")).isFalse();
  }

  @Test
  void completionsSendsVersionTwoToTheRouteThatNamesTheTemplate() {
    HttpResponse<String> res =
        post(
            "/v1/prompts/support-bot/completions",
            "{'version':'v2','variables':{'question':'Q','tone':'warm'}}");

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-prompt-version")).isEqualTo("v2");
    assertThat(header(res, "x-portcullis-route")).isEqualTo("default/support");
    JsonNode upstream = received();
    assertThat(upstream.path("model").asText()).isEqualTo("fake-support");
    assertThat(upstream.at("/messages/0/content").asText())
        .isEqualTo("Be warm & brief. No context.");
    assertThat(upstream.path("temperature").asDouble()).isEqualTo(0.7);
  }

  @Test
  void completionsStreamsTheRenderedRequest() {
    HttpResponse<String> res =
        post(
            "/v1/prompts/support-bot/completions",
            "{'version':'v2','stream':true,'variables':{'question':'Q'}}");

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(header(res, "content-type")).startsWith("text/event-stream");
    assertThat(header(res, "x-portcullis-prompt-version")).isEqualTo("v2");
    assertThat(res.body()).contains("chat.completion.chunk").contains("data: [DONE]");
    JsonNode upstream = received();
    assertThat(upstream.path("stream").asBoolean()).isTrue();
    assertThat(upstream.at("/messages/1/content").asText()).isEqualTo("Q");
  }

  @Test
  void aMissingRequiredVariableIsRefusedNamingItAndNothingIsSent() {
    HttpResponse<String> res =
        post("/v1/prompts/support-bot/completions", "{'variables':{'tone':'calm'}}");

    assertThat(res.statusCode()).isEqualTo(400);
    JsonNode error = json(res.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("missing_variable");
    assertThat(error.path("param").asText()).isEqualTo("variables.question");
    assertThat(error.path("message").asText()).contains("'question'");
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void anUndeclaredVariableIsRefusedNamingIt() {
    HttpResponse<String> res =
        post("/v1/prompts/support-bot/render", "{'variables':{'question':'Q','mood':'x'}}");

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(json(res.body()).at("/error/code").asText()).isEqualTo("unknown_variable");
    assertThat(json(res.body()).at("/error/param").asText()).isEqualTo("variables.mood");
  }

  @Test
  void anUnknownVersionOrTemplateIsRefusedInOpenAiFormat() {
    HttpResponse<String> version =
        post("/v1/prompts/support-bot/render", "{'version':'v9','variables':{'question':'Q'}}");
    HttpResponse<String> template = post("/v1/prompts/nope/completions", "{'variables':{}}");

    assertThat(version.statusCode()).isEqualTo(400);
    assertThat(json(version.body()).at("/error/code").asText()).isEqualTo("unknown_version");
    assertThat(template.statusCode()).isEqualTo(404);
    assertThat(json(template.body()).at("/error/code").asText())
        .isEqualTo("prompt_template_not_found");
  }

  @Test
  void aKeyThatMayNotUseTheVersionsRouteIsRefused() {
    HttpResponse<String> res =
        post(
            "/v1/prompts/support-bot/completions",
            "{'version':'v1','variables':{'question':'Q'}}",
            SUPPORT_ONLY_KEY,
            Map.of());

    assertThat(res.statusCode()).as(res.body()).isEqualTo(403);
    assertThat(json(res.body()).at("/error/code").asText()).isEqualTo("route_not_allowed");
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void aStickyUserKeepsTheirVersion() {
    for (String user : new String[] {"alice", "bob", "carol", "dave"}) {
      Map<String, String> metadata =
          Map.of("x-portcullis-metadata", "{\"user_id\":\"" + user + "\"}");
      String first =
          header(
              post(
                  "/v1/prompts/support-bot/render",
                  "{'variables':{'question':'Q'}}",
                  KEY,
                  metadata),
              "x-portcullis-prompt-version");
      for (int i = 0; i < 5; i++) {
        assertThat(
                header(
                    post(
                        "/v1/prompts/support-bot/render",
                        "{'variables':{'question':'Q'}}",
                        KEY,
                        metadata),
                    "x-portcullis-prompt-version"))
            .as(user)
            .isEqualTo(first);
      }
    }
  }

  @Test
  void aPlainChatRequestToARouteWithADefaultTemplateIsRenderedWithItsVariables() {
    HttpResponse<String> res =
        post(
            "/v1/chat/completions",
            "{'model':'support','version':'v2','variables':{'question':'Q'},"
                + "'messages':[{'role':'user','content':'And also this.'}]}");

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-prompt-version")).isEqualTo("v2");
    JsonNode upstream = received();
    assertThat(upstream.path("messages"))
        .isEqualTo(
            json(
                "[{\"role\":\"system\",\"content\":\"Be friendly & brief. No context.\"},"
                    + "{\"role\":\"user\",\"content\":\"Q\"},"
                    + "{\"role\":\"user\",\"content\":\"And also this.\"}]"));
    assertThat(upstream.has("variables")).isFalse();
    assertThat(upstream.has("version")).isFalse();
  }

  @Test
  void aPlainChatRequestWithoutTheRequiredVariableIsRefused() {
    HttpResponse<String> res =
        post(
            "/v1/chat/completions",
            "{'model':'support','messages':[{'role':'user','content':'hi'}]}");

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(json(res.body()).at("/error/code").asText()).isEqualTo("missing_variable");
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void anotherEndpointForARouteWithADefaultTemplateIsRefusedRatherThanSentUntemplated() {
    HttpResponse<String> res =
        post(
            "/v1/messages",
            "{'model':'support','max_tokens':10,'messages':[{'role':'user','content':'hi'}]}",
            KEY,
            Map.of("anthropic-version", "2023-06-01"));

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(json(res.body()).path("type").asText()).as("Anthropic's format").isEqualTo("error");
    assertThat(json(res.body()).at("/error/message").asText())
        .contains("/v1/chat/completions")
        .contains("default/support-bot");
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void aChatRequestToARouteWithoutATemplateIsUntouched() {
    HttpResponse<String> res =
        post(
            "/v1/chat/completions", "{'model':'chat','messages':[{'role':'user','content':'hi'}]}");

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-prompt-version")).isNull();
    assertThat(received().path("messages").size()).isEqualTo(1);
  }

  @Test
  void eachVersionsRequestsTokensCostAndErrorsAreCounted() {
    post("/v1/prompts/support-bot/completions", "{'version':'v1','variables':{'question':'Q'}}");
    post("/v1/prompts/support-bot/completions", "{'version':'v1','variables':{'question':'Q'}}");
    fake.setDefaultBehaviour("status=500");
    HttpResponse<String> failed =
        post(
            "/v1/prompts/support-bot/completions", "{'version':'v2','variables':{'question':'Q'}}");
    post("/v1/prompts/support-bot/render", "{'version':'v2','variables':{'question':'Q'}}");

    Map<String, PromptVersionTotals> byVersion = new java.util.HashMap<>();
    for (PromptVersionTotals totals : gateway.promptResults().totals()) {
      assertThat(totals.template()).isEqualTo("default/support-bot");
      byVersion.put(totals.version(), totals);
    }
    PromptVersionTotals v1 = byVersion.get("v1");
    assertThat(v1.requests()).isEqualTo(2);
    assertThat(v1.errors()).isZero();
    assertThat(v1.inputTokens()).isPositive();
    assertThat(v1.outputTokens()).isPositive();
    assertThat(new java.math.BigDecimal(v1.spendUsd())).isPositive();
    assertThat(v1.latencyCount()).isEqualTo(2);
    assertThat(byVersion).containsOnlyKeys("v1", "v2");
    assertThat(failed.statusCode()).isGreaterThanOrEqualTo(500);
    assertThat(header(failed, "x-portcullis-prompt-version")).isEqualTo("v2");
    assertThat(byVersion.get("v2").requests()).as("render calls no model").isEqualTo(1);
    assertThat(byVersion.get("v2").errors()).isEqualTo(1);
  }
}
