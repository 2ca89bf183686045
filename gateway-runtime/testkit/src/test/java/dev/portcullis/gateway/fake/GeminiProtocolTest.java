package dev.portcullis.gateway.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeminiProtocolTest {
  private static FakeUpstream fake;
  private static LoopbackClient client;

  @BeforeAll
  static void start() {
    fake = FakeUpstream.start(0);
    client = new LoopbackClient(fake);
  }

  @AfterAll
  static void stop() {
    fake.stop();
  }

  private static final String CONTENT =
      """
      {"contents":[{"role":"user","parts":[{"text":"Say hello to the gateway"}]}]}""";

  @Test
  void generateContentHasTheGeminiShape() {
    HttpResponse<String> response =
        client.post(
            "/v1beta/models/gemini-2.5-flash:generateContent",
            CONTENT,
            "x-goog-api-key",
            "g-key",
            "x-fake-text",
            "hi there");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = LoopbackClient.json(response);
    JsonNode candidate = body.at("/candidates/0");
    assertThat(candidate.at("/content/role").asText()).isEqualTo("model");
    assertThat(candidate.at("/content/parts/0/text").asText()).isEqualTo("hi there");
    assertThat(candidate.get("finishReason").asText()).isEqualTo("STOP");
    assertThat(body.at("/usageMetadata/promptTokenCount").asInt()).isPositive();
    assertThat(body.at("/usageMetadata/candidatesTokenCount").asInt()).isEqualTo(2);
    assertThat(body.get("modelVersion").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(fake.lastRequest().apiKey()).isEqualTo("g-key");
  }

  @Test
  void streamGenerateContentWithAltSseSendsResponseChunks() throws Exception {
    List<LoopbackClient.SseEvent> events =
        client.stream(
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=q-key",
            CONTENT,
            "x-fake-text",
            "one two three");

    assertThat(events).hasSize(3);
    String text =
        events.stream()
            .map(e -> e.json().at("/candidates/0/content/parts/0/text").asText())
            .reduce("", String::concat);
    assertThat(text).isEqualTo("one two three");
    assertThat(events.get(0).json().at("/candidates/0/finishReason").isMissingNode()).isTrue();
    JsonNode last = events.get(2).json();
    assertThat(last.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
    assertThat(last.at("/usageMetadata/candidatesTokenCount").asInt()).isEqualTo(3);
    assertThat(fake.lastRequest().apiKey()).isEqualTo("q-key");
  }

  @Test
  void streamGenerateContentWithoutAltSseIsOneJsonArray() {
    HttpResponse<String> response =
        client.post(
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent", CONTENT, "x-fake-tokens", "4");

    JsonNode body = LoopbackClient.json(response);
    assertThat(body.isArray()).isTrue();
    assertThat(body).hasSize(4);
    assertThat(body.get(3).at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
  }

  @Test
  void functionCallingModeAnyAnswersWithAFunctionCall() {
    JsonNode body =
        LoopbackClient.json(
            client.post(
                "/v1beta/models/gemini-2.5-flash:generateContent",
                """
                {"contents":[{"role":"user","parts":[{"text":"weather?"}]}],
                 "tools":[{"functionDeclarations":[{"name":"get_weather","parameters":
                   {"type":"OBJECT","properties":{"city":{"type":"STRING"}},"required":["city"]}}]}],
                 "toolConfig":{"functionCallingConfig":{"mode":"ANY"}}}"""));

    JsonNode call = body.at("/candidates/0/content/parts/0/functionCall");
    assertThat(call.get("name").asText()).isEqualTo("get_weather");
    assertThat(call.at("/args/city").asText()).isEqualTo("fake");
  }

  @Test
  void embedContentReturnsADeterministicVector() {
    String request =
        """
        {"content":{"parts":[{"text":"hello world"}]},"outputDimensionality":32}""";
    JsonNode first =
        LoopbackClient.json(client.post("/v1beta/models/text-embedding-004:embedContent", request));
    JsonNode second =
        LoopbackClient.json(client.post("/v1beta/models/text-embedding-004:embedContent", request));

    assertThat(first.at("/embedding/values")).hasSize(32).isEqualTo(second.at("/embedding/values"));
  }

  @Test
  void batchEmbedContentsReturnsOneVectorPerRequest() {
    JsonNode body =
        LoopbackClient.json(
            client.post(
                "/v1beta/models/text-embedding-004:batchEmbedContents",
                """
                {"requests":[{"content":{"parts":[{"text":"a"}]}},
                             {"content":{"parts":[{"text":"b"}]}}]}"""));

    assertThat(body.get("embeddings")).hasSize(2);
    assertThat(body.at("/embeddings/0/values")).hasSize(GeminiEmbeddingsFormat.DEFAULT_DIMENSIONS);
  }

  @Test
  void countTokensEstimatesTheInput() {
    JsonNode body =
        LoopbackClient.json(client.post("/v1beta/models/gemini-2.5-flash:countTokens", CONTENT));

    assertThat(body.get("totalTokens").asInt()).isPositive();
  }

  @Test
  void errorsUseTheGoogleErrorFormat() {
    HttpResponse<String> response =
        client.post(
            "/v1beta/models/gemini-2.5-flash:generateContent", CONTENT, "x-fake-status", "429");

    assertThat(response.statusCode()).isEqualTo(429);
    JsonNode error = LoopbackClient.json(response).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(429);
    assertThat(error.get("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
  }

  @Test
  void optionsInTheModelPathSegmentApply() {
    HttpResponse<String> response =
        client.post("/v1beta/models/gemini-2.5-flash;status=503:generateContent", CONTENT);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(LoopbackClient.json(response).at("/error/status").asText()).isEqualTo("UNAVAILABLE");
  }

  @Test
  void percentEncodedOptionsInTheModelPathSegmentApply() {
    HttpResponse<String> response =
        client.post("/v1beta/models/gemini-2.5-flash%3Btext=encoded:generateContent", CONTENT);

    assertThat(LoopbackClient.json(response).at("/candidates/0/content/parts/0/text").asText())
        .isEqualTo("encoded");
    assertThat(LoopbackClient.json(response).get("modelVersion").asText())
        .isEqualTo("gemini-2.5-flash");
  }
}
