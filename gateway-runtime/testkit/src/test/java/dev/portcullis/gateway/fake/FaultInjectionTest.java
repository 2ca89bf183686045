package dev.portcullis.gateway.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
  private FakeUpstream fake;
  private LoopbackClient client;

  @BeforeEach
  void start() {
    fake = FakeUpstream.start(0);
    client = new LoopbackClient(fake);
  }

  @AfterEach
  void stop() {
    fake.stop();
  }

  private static final String CHAT =
      """
      {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""";
  private static final String STREAM =
      """
      {"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

  @Test
  void latencyDelaysTheResponseHeaders() {
    long start = System.nanoTime();
    HttpResponse<String> response =
        client.post("/v1/chat/completions", CHAT, "x-fake-latency", "300ms");
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(elapsedMillis).isBetween(300L, 3_000L);
  }

  @Test
  void statusAnswersWithTheProtocolsErrorBody() {
    HttpResponse<String> response =
        client.post("/v1/chat/completions", CHAT, "x-fake-status", "500");

    assertThat(response.statusCode()).isEqualTo(500);
    JsonNode error = LoopbackClient.json(response).get("error");
    assertThat(error.get("type").asText()).isEqualTo("server_error");
    assertThat(error.get("message").asText()).contains("500");
  }

  @Test
  void rateLimitSendsRetryAfterInSecondsAndMilliseconds() {
    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions", CHAT, "x-fake-status", "429", "x-fake-retry-after", "1500ms");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("2");
    assertThat(response.headers().firstValue("retry-after-ms")).hasValue("1500");
    assertThat(LoopbackClient.json(response).at("/error/code").asText())
        .isEqualTo("rate_limit_exceeded");
  }

  @Test
  void rateLimitWithoutRetryAfterOptionSendsOneSecond() {
    HttpResponse<String> response =
        client.post("/v1/chat/completions", CHAT, "x-fake-status", "429");

    assertThat(response.headers().firstValue("retry-after")).hasValue("1");
  }

  @Test
  void resetBeforeClosesTheConnectionWithoutAResponse() {
    assertThatThrownBy(() -> client.post("/v1/chat/completions", CHAT, "x-fake-reset", "before"))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void resetDuringCutsAStreamAfterTheGivenNumberOfTokens() throws Exception {
    HttpResponse<InputStream> response =
        client.open(
            "/v1/chat/completions",
            STREAM,
            "x-fake-reset",
            "during",
            "x-fake-reset-after",
            "3",
            "x-fake-tokens",
            "10");

    assertThat(response.statusCode()).isEqualTo(200);
    List<LoopbackClient.SseEvent> events;
    try (InputStream body = response.body()) {
      events = readUntilFailure(body);
    }
    // The role chunk, then at most 3 token chunks, and no finish chunk or [DONE]. (The last
    // chunks written before the close can be lost with the connection on a busy machine.)
    assertThat(events).hasSizeBetween(1, 4);
    assertThat(events)
        .noneMatch(e -> e.data().equals("[DONE]"))
        .noneMatch(e -> e.data().contains("\"finish_reason\":\"stop\""));
  }

  @Test
  void resetDuringCutsANonStreamedBodyHalfway() throws Exception {
    HttpResponse<InputStream> response =
        client.open("/v1/chat/completions", CHAT, "x-fake-reset", "during");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
  }

  @Test
  void failTimesFailsTheFirstRequestsOfAScenarioThenSucceeds() {
    String[] headers = {
      "x-fake-status", "503", "x-fake-fail-times", "2", "x-fake-scenario", "retry-test"
    };
    int first = client.post("/v1/chat/completions", CHAT, headers).statusCode();
    int second = client.post("/v1/chat/completions", CHAT, headers).statusCode();
    int third = client.post("/v1/chat/completions", CHAT, headers).statusCode();

    assertThat(List.of(first, second, third)).containsExactly(503, 503, 200);
  }

  @Test
  void failTimesCountsEachScenarioSeparately() {
    int a =
        client
            .post("/v1/chat/completions", CHAT, "x-fake-fail-times", "1", "x-fake-scenario", "a")
            .statusCode();
    int b =
        client
            .post("/v1/chat/completions", CHAT, "x-fake-fail-times", "1", "x-fake-scenario", "b")
            .statusCode();

    assertThat(List.of(a, b)).containsExactly(503, 503);
  }

  @Test
  void failTimesWithResetBeforeDropsOnlyTheFirstConnections() {
    String[] headers = {"x-fake-reset", "before", "x-fake-fail-times", "1"};
    assertThatThrownBy(() -> client.post("/v1/chat/completions", CHAT, headers))
        .isInstanceOf(UncheckedIOException.class);

    assertThat(client.post("/v1/chat/completions", CHAT, headers).statusCode()).isEqualTo(200);
  }

  @Test
  void resetClearsFailTimesScenarios() {
    String[] headers = {"x-fake-fail-times", "1", "x-fake-scenario", "s"};
    client.post("/v1/chat/completions", CHAT, headers);
    fake.reset();

    assertThat(client.post("/v1/chat/completions", CHAT, headers).statusCode()).isEqualTo(503);
  }

  @Test
  void optionsInTheModelNameApplyAndTheBareNameIsEchoed() {
    HttpResponse<String> failing =
        client.post(
            "/v1/chat/completions",
            """
            {"model":"gpt-4o;status=429;retry-after=3","messages":[{"role":"user","content":"x"}]}""");
    HttpResponse<String> fine =
        client.post(
            "/v1/chat/completions",
            """
            {"model":"gpt-4o;text=from the model name","messages":[{"role":"user","content":"x"}]}""");

    assertThat(failing.statusCode()).isEqualTo(429);
    assertThat(failing.headers().firstValue("retry-after")).hasValue("3");
    JsonNode body = LoopbackClient.json(fine);
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("from the model name");
  }

  @Test
  void headersOverrideModelNameOptions() {
    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions",
            """
            {"model":"gpt-4o;status=503","messages":[{"role":"user","content":"x"}]}""",
            "x-fake-status",
            "418");

    assertThat(response.statusCode()).isEqualTo(418);
  }

  @Test
  void behaviourHeaderCarriesSeveralOptions() {
    HttpResponse<String> response =
        client.post("/v1/chat/completions", CHAT, "x-fake-behaviour", "status=429;retry-after=4");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("4");
  }

  @Test
  void anUnknownOptionIsA400ThatNamesIt() {
    HttpResponse<String> response =
        client.post(
            "/v1/chat/completions",
            """
            {"model":"gpt-4o;latnecy=5s","messages":[{"role":"user","content":"x"}]}""");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(LoopbackClient.json(response).at("/error/message").asText()).contains("latnecy");
  }

  @Test
  void aRequiredKeyRejectsOtherKeysWith401InTheProtocolsFormat() {
    try (FakeUpstream locked = FakeUpstream.builder().requireApiKey("sk-right").start()) {
      LoopbackClient lockedClient = new LoopbackClient(locked);
      HttpResponse<String> wrong =
          lockedClient.post(
              "/v1/messages",
              """
              {"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""",
              "x-api-key",
              "sk-wrong");
      HttpResponse<String> right =
          lockedClient.post("/v1/chat/completions", CHAT, "authorization", "Bearer sk-right");

      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(LoopbackClient.json(wrong).at("/error/type").asText())
          .isEqualTo("authentication_error");
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(locked.requests())
          .extracting(RecordedRequest::apiKey)
          .containsExactly("sk-wrong", "sk-right");
    }
  }

  @Test
  void aRequiredKeyRejectsRequestsWithoutAnyKey() {
    try (FakeUpstream locked = FakeUpstream.builder().requireApiKey("sk-right").start()) {
      HttpResponse<String> response = new LoopbackClient(locked).post("/v1/chat/completions", CHAT);

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(LoopbackClient.json(response).at("/error/code").asText())
          .isEqualTo("invalid_api_key");
    }
  }

  /** Reads events until the stream ends or breaks (a reset shows as an IOException). */
  private static List<LoopbackClient.SseEvent> readUntilFailure(InputStream body) {
    List<LoopbackClient.SseEvent> events = new ArrayList<>();
    try {
      LoopbackClient.readEvents(body, Integer.MAX_VALUE, events);
    } catch (IOException expected) {
      // the fake dropped the connection
    }
    return events;
  }
}
