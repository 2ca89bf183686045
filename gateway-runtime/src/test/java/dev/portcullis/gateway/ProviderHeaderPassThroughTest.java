package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.fake.RecordedRequest;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Headers an upstream needs from its own clients pass through to it; the caller's credentials never
 * do (API.md).
 */
class ProviderHeaderPassThroughTest {
  static final String KEY = "pc-test-passthrough-0123456789";
  static FakeUpstream fake;
  static Gateway gateway;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.builder().port(0).start();
    gateway = Gateway.start(GatewaySettings.ephemeral());
    gateway.apply(
        TestSnapshots.builder()
            .route(
                "team-a",
                "claude",
                "claude",
                Mode.SINGLE,
                TestSnapshots.provider("anthropic", "anthropic", "claude-x", fake.baseUrl()))
            .route(
                "team-a",
                "gpt",
                "gpt",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "gpt-x", fake.baseUrl() + "/v1"))
            .key("team-a", "app", KEY)
            .build());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    fake.close();
  }

  static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder messages(String model) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/messages"))
        .header("x-api-key", KEY)
        .header("content-type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\""
                    + model
                    + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
  }

  static HttpRequest.Builder chat(String model) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + KEY)
        .header("content-type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\""
                    + model
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
  }

  @Test
  void anthropicBetaAndVersionReachAnAnthropicTargetButTheCallersKeyDoesNot() throws Exception {
    HttpResponse<String> r =
        send(
            messages("claude")
                .header("anthropic-beta", "context-1m-2025-08-07,interleaved-thinking-2025-05-14")
                .header("anthropic-version", "2023-06-01"));
    assertThat(r.statusCode()).isEqualTo(200);
    RecordedRequest seen = fake.lastRequest();
    assertThat(seen.header("anthropic-beta"))
        .isEqualTo("context-1m-2025-08-07,interleaved-thinking-2025-05-14");
    assertThat(seen.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(seen.header("x-api-key")).isEqualTo("sk-upstream-anthropic");
    assertThat(seen.headers().toString()).doesNotContain(KEY);
  }

  @Test
  void openAiBetaOrganizationAndProjectReachAnOpenAiTargetButTheCallersKeyDoesNot()
      throws Exception {
    HttpResponse<String> r =
        send(
            chat("gpt")
                .header("openai-beta", "assistants=v2")
                .header("OpenAI-Organization", "org-123")
                .header("OpenAI-Project", "proj_456"));
    assertThat(r.statusCode()).isEqualTo(200);
    RecordedRequest seen = fake.lastRequest();
    assertThat(seen.header("openai-beta")).isEqualTo("assistants=v2");
    assertThat(seen.header("openai-organization")).isEqualTo("org-123");
    assertThat(seen.header("openai-project")).isEqualTo("proj_456");
    assertThat(seen.header("authorization")).isEqualTo("Bearer sk-upstream-openai");
    assertThat(seen.headers().toString()).doesNotContain(KEY);
  }

  @Test
  void anotherProvidersHeadersAndOtherHeadersDoNotPass() throws Exception {
    HttpResponse<String> r =
        send(
            chat("gpt")
                .header("anthropic-beta", "context-1m-2025-08-07")
                .header("x-custom-secret", "do-not-forward"));
    assertThat(r.statusCode()).isEqualTo(200);
    RecordedRequest seen = fake.lastRequest();
    assertThat(seen.header("anthropic-beta")).isNull();
    assertThat(seen.header("x-custom-secret")).isNull();
  }

  @Test
  void anOpenAiClientTranslatedToAnthropicGetsNoOpenAiHeadersThere() throws Exception {
    HttpResponse<String> r = send(chat("claude").header("OpenAI-Organization", "org-123"));
    assertThat(r.statusCode()).isEqualTo(200);
    RecordedRequest seen = fake.lastRequest();
    assertThat(seen.path()).endsWith("/v1/messages");
    assertThat(seen.header("openai-organization")).isNull();
  }
}
