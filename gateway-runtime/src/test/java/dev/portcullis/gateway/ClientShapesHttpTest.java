package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.sse.SseEvent;
import dev.portcullis.gateway.sse.SseReader;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recorded request bodies of real clients (Claude Code; an OpenAI-format agent) sent over HTTP to
 * the gateway, through a same-format route, translated routes (fake OpenAI, Gemini and Anthropic
 * upstreams) and the built-in echo provider. Every route must answer 200 in the client's format.
 */
class ClientShapesHttpTest {
  static final String KEY = "pc-test-client-shapes-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Map<String, String> PROVIDERS =
      Map.of("via-openai", "openai", "via-gemini", "gemini", "via-anthropic", "anthropic");
  static final Map<String, String> BASE_SUFFIX =
      Map.of("via-openai", "/v1", "via-gemini", "/v1beta", "via-anthropic", "");
  static FakeUpstream fake;
  static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    TestSnapshots snapshot = TestSnapshots.builder().key("team-a", "app", KEY);
    PROVIDERS.forEach(
        (route, provider) ->
            snapshot.route(
                "team-a",
                route,
                route,
                Mode.SINGLE,
                TestSnapshots.provider(
                    provider, provider, "up-model", fake.baseUrl() + BASE_SUFFIX.get(route))));
    snapshot.route("team-a", "via-echo", "via-echo", Mode.SINGLE, TestSnapshots.echo("echo"));
    gateway.apply(snapshot.build());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    fake.close();
  }

  @BeforeEach
  void reset() {
    fake.reset();
  }

  static Stream<String> routes() {
    return Stream.of("via-openai", "via-gemini", "via-anthropic", "via-echo");
  }

  static Stream<String> translatedRoutes() {
    return Stream.of("via-openai", "via-gemini", "via-echo");
  }

  private static ObjectNode recorded(String name, String model, boolean stream) {
    try (InputStream in =
        ClientShapesHttpTest.class.getResourceAsStream(
            "/dev/portcullis/gateway/client-shapes/" + name)) {
      ObjectNode body = (ObjectNode) JSON.readTree(in);
      body.put("model", model);
      body.put("stream", stream);
      return body;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> post(String path, ObjectNode body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (path.equals("/v1/messages")) {
      // As Claude Code sends them: its key in x-api-key, the API version, betas.
      request
          .header("x-api-key", KEY)
          .header("anthropic-version", "2023-06-01")
          .header("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14");
    } else {
      request.header("authorization", "Bearer " + KEY);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<SseEvent> events(String body) throws IOException {
    SseReader reader =
        new SseReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    List<SseEvent> events = new ArrayList<>();
    for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
      events.add(e.get());
    }
    return events;
  }

  private static JsonNode named(List<SseEvent> events, String name) throws IOException {
    SseEvent event = events.stream().filter(e -> name.equals(e.event())).findFirst().orElseThrow();
    return JSON.readTree(event.data());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void claudeCodesRequestIsAnswered(String route) throws Exception {
    HttpResponse<String> response =
        post("/v1/messages", recorded("claude-code-messages.json", route, false));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode message = JSON.readTree(response.body());
    assertThat(message.get("type").asText()).isEqualTo("message");
    assertThat(message.at("/content/0/text").asText()).isNotEmpty();
    assertThat(message.at("/usage/input_tokens").asInt()).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void claudeCodesStreamIsAnsweredWithInputTokensInMessageStart(String route) throws Exception {
    HttpResponse<String> response =
        post("/v1/messages", recorded("claude-code-messages.json", route, true));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<SseEvent> events = events(response.body());
    assertThat(named(events, "message_start").at("/message/usage/input_tokens").asInt())
        .isPositive();
    assertThat(named(events, "message_delta").at("/usage/input_tokens").asInt()).isPositive();
    assertThat(events.getLast().event()).isEqualTo("message_stop");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translatedRoutes")
  void aTranslatedStreamsMessageDeltaCarriesTheUpstreamsCount(String route) throws Exception {
    ObjectNode request = recorded("claude-code-messages.json", route, true);
    List<SseEvent> stream = events(post("/v1/messages", request).body());
    int estimate = named(stream, "message_start").at("/message/usage/input_tokens").asInt();
    JsonNode whole =
        JSON.readTree(
            post("/v1/messages", recorded("claude-code-messages.json", route, false)).body());
    // The non-stream answer reports the upstream's count directly; the stream's end agrees.
    int upstream = whole.at("/usage/input_tokens").asInt();
    assertThat(named(stream, "message_delta").at("/usage/input_tokens").asInt())
        .isEqualTo(upstream);
    assertThat(estimate).isPositive();
  }

  @Test
  void anOpenAiUpstreamReceivesClaudeCodesSystemReminderInPlace() throws Exception {
    post("/v1/messages", recorded("claude-code-messages.json", "via-openai", false));
    JsonNode forwarded = JSON.readTree(fake.lastRequest().bodyText());
    JsonNode messages = forwarded.get("messages");
    assertThat(messages.get(4).get("role").asText()).isEqualTo("system");
    assertThat(messages.get(4).get("content").asText()).contains("TodoWrite");
    assertThat(forwarded.toString()).doesNotContain("cache_control").doesNotContain("thinking");
  }

  @Test
  void echoAnswersClaudeCodeWithItsLastUserText() throws Exception {
    JsonNode message =
        JSON.readTree(
            post("/v1/messages", recorded("claude-code-messages.json", "via-echo", false)).body());
    assertThat(message.at("/content/0/text").asText()).isEqualTo("Echo: now read the README");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void anOpenAiAgentsStreamIsAnsweredWithUsage(String route) throws Exception {
    HttpResponse<String> response =
        post("/v1/chat/completions", recorded("openai-client-chat.json", route, true));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<SseEvent> events = events(response.body());
    assertThat(events.getLast().data()).isEqualTo("[DONE]");
    JsonNode usageChunk = JSON.readTree(events.get(events.size() - 2).data());
    assertThat(usageChunk.at("/usage/prompt_tokens").asInt()).isPositive();
  }

  @Test
  void anAnthropicUpstreamReceivesTheAgentsSystemTextsFoldedIntoSystem() throws Exception {
    post("/v1/chat/completions", recorded("openai-client-chat.json", "via-anthropic", false));
    JsonNode forwarded = JSON.readTree(fake.lastRequest().bodyText());
    assertThat(forwarded.get("system").toString())
        .contains("You are a coding agent")
        .contains("24-hour time");
    assertThat(forwarded.toString()).doesNotContain("reasoning_effort");
  }
}
