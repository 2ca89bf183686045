package dev.portcullis.gateway.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenAiProtocolTest {
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

  private static final String CHAT =
      """
      {"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},
       {"role":"user","content":"Say hello to the gateway"}]}""";

  @Test
  void chatCompletionHasTheOpenAiShapeAndEchoesTheModel() {
    HttpResponse<String> response = client.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
    JsonNode body = LoopbackClient.json(response);
    assertThat(body.get("id").asText()).startsWith("chatcmpl-");
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.get("created").isNumber()).isTrue();
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o");
    JsonNode choice = body.get("choices").get(0);
    assertThat(choice.get("index").asInt()).isZero();
    assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.at("/message/role").asText()).isEqualTo("assistant");
    assertThat(choice.at("/message/content").asText()).isEqualTo(ReplyPlanner.DEFAULT_TEXT);
  }

  @Test
  void chatUsageCountsPromptFromInputAndCompletionFromTokensSent() {
    JsonNode usage =
        LoopbackClient.json(client.post("/v1/chat/completions", CHAT, "x-fake-tokens", "7"))
            .get("usage");

    assertThat(usage.get("prompt_tokens").asInt()).isBetween(5, 15);
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(7);
    assertThat(usage.get("total_tokens").asInt()).isEqualTo(usage.get("prompt_tokens").asInt() + 7);
    assertThat(usage.at("/prompt_tokens_details/cached_tokens").asInt()).isZero();
  }

  @Test
  void chatStreamSendsRoleThenContentChunksThenFinishThenDone() throws Exception {
    List<LoopbackClient.SseEvent> events =
        client.stream(
            "/v1/chat/completions",
            """
            {"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}""",
            "x-fake-text",
            "one two three");

    assertThat(events.getLast().data()).isEqualTo("[DONE]");
    List<JsonNode> chunks =
        events.subList(0, events.size() - 1).stream().map(e -> e.json()).toList();
    assertThat(chunks)
        .allSatisfy(
            c -> {
              assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
              assertThat(c.get("model").asText()).isEqualTo("gpt-4o");
              assertThat(c.has("usage")).isFalse();
            });
    assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    String text =
        chunks.stream()
            .map(c -> c.at("/choices/0/delta/content").asText(""))
            .reduce("", String::concat);
    assertThat(text).isEqualTo("one two three");
    assertThat(chunks.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(chunks.stream().map(c -> c.get("id").asText()).distinct()).hasSize(1);
  }

  @Test
  void chatStreamWithIncludeUsageEndsWithAUsageChunkWithoutChoices() throws Exception {
    List<LoopbackClient.SseEvent> events =
        client.stream(
            "/v1/chat/completions",
            """
            {"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},
             "messages":[{"role":"user","content":"hi"}]}""",
            "x-fake-tokens",
            "5");

    JsonNode usageChunk = events.get(events.size() - 2).json();
    assertThat(usageChunk.get("choices")).isEmpty();
    assertThat(usageChunk.at("/usage/completion_tokens").asInt()).isEqualTo(5);
    assertThat(events.get(0).json().get("usage").isNull()).isTrue();
  }

  @Test
  void requiredToolChoiceAnswersWithAToolCallMatchingTheSchema() {
    JsonNode body =
        LoopbackClient.json(
            client.post(
                "/v1/chat/completions",
                """
                {"model":"gpt-4o","messages":[{"role":"user","content":"weather?"}],
                 "tool_choice":"required",
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":
                   {"type":"object","properties":{"city":{"type":"string"},
                    "unit":{"type":"string","enum":["celsius","fahrenheit"]},
                    "days":{"type":"integer"}},"required":["city","unit"]}}}]}"""));

    JsonNode choice = body.at("/choices/0");
    assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(choice.at("/message/content").isNull()).isTrue();
    JsonNode call = choice.at("/message/tool_calls/0");
    assertThat(call.get("id").asText()).startsWith("call_");
    assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
    JsonNode arguments = LoopbackClient.json(call.at("/function/arguments").asText());
    assertThat(arguments.get("city").asText()).isEqualTo("fake");
    assertThat(arguments.get("unit").asText()).isEqualTo("celsius");
    assertThat(arguments.has("days")).isFalse();
  }

  @Test
  void namedToolChoiceCallsThatFunction() {
    JsonNode body =
        LoopbackClient.json(
            client.post(
                "/v1/chat/completions",
                """
                {"model":"gpt-4o","messages":[{"role":"user","content":"x"}],
                 "tool_choice":{"type":"function","function":{"name":"second"}},
                 "tools":[{"type":"function","function":{"name":"first"}},
                          {"type":"function","function":{"name":"second"}}]}"""));

    assertThat(body.at("/choices/0/message/tool_calls/0/function/name").asText())
        .isEqualTo("second");
  }

  @Test
  void autoToolChoiceAnswersWithText() {
    JsonNode body =
        LoopbackClient.json(
            client.post(
                "/v1/chat/completions",
                """
                {"model":"gpt-4o","messages":[{"role":"user","content":"x"}],
                 "tools":[{"type":"function","function":{"name":"first"}}]}"""));

    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(body.at("/choices/0/message/content").asText()).isNotEmpty();
  }

  @Test
  void toolCallStreamsItsArgumentsInFragments() throws Exception {
    List<LoopbackClient.SseEvent> events =
        client.stream(
            "/v1/chat/completions",
            """
            {"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"x"}],
             "tool_choice":"required","tools":[{"type":"function","function":{"name":"lookup",
             "parameters":{"type":"object","properties":{"query":{"type":"string"}},
             "required":["query"]}}}]}""");

    List<JsonNode> chunks =
        events.subList(0, events.size() - 1).stream().map(e -> e.json()).toList();
    assertThat(chunks.get(0).at("/choices/0/delta/tool_calls/0/function/name").asText())
        .isEqualTo("lookup");
    String arguments =
        chunks.stream()
            .map(c -> c.at("/choices/0/delta/tool_calls/0/function/arguments").asText(""))
            .reduce("", String::concat);
    assertThat(LoopbackClient.json(arguments).get("query").asText()).isEqualTo("fake");
    assertThat(chunks.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void maxTokensBelowTheReplyLengthCutsItAndSaysLength() {
    JsonNode body =
        LoopbackClient.json(
            client.post(
                "/v1/chat/completions",
                """
                {"model":"gpt-4o","max_completion_tokens":3,
                 "messages":[{"role":"user","content":"x"}]}""",
                "x-fake-tokens",
                "10"));

    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void echoRepliesWithTheLastUserMessage() {
    JsonNode body =
        LoopbackClient.json(
            client.post(
                "/v1/chat/completions",
                """
                {"model":"gpt-4o","messages":[{"role":"user","content":"first"},
                 {"role":"assistant","content":"ok"},
                 {"role":"user","content":[{"type":"text","text":"my mail is [EMAIL]"}]}]}""",
                "x-fake-echo",
                "true"));

    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("my mail is [EMAIL]");
  }

  @Test
  void azureDeploymentPathBehavesLikeChatCompletionsAndNamesTheDeployment() {
    HttpResponse<String> response =
        client.post(
            "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21",
            """
            {"messages":[{"role":"user","content":"hi"}]}""",
            "api-key",
            "azure-secret");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = LoopbackClient.json(response);
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.get("model").asText()).isEqualTo("gpt4o-prod");
    assertThat(fake.lastRequest().apiKey()).isEqualTo("azure-secret");
    assertThat(fake.lastRequest().query()).isEqualTo("api-version=2024-10-21");
  }

  @Test
  void legacyCompletionReturnsTextCompletion() {
    JsonNode body =
        LoopbackClient.json(
            client.post(
                "/v1/completions",
                """
                {"model":"gpt-3.5-turbo-instruct","prompt":"Once upon"}""",
                "x-fake-text",
                "a time"));

    assertThat(body.get("object").asText()).isEqualTo("text_completion");
    assertThat(body.get("id").asText()).startsWith("cmpl-");
    assertThat(body.at("/choices/0/text").asText()).isEqualTo("a time");
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void legacyCompletionStreams() throws Exception {
    List<LoopbackClient.SseEvent> events =
        client.stream(
            "/v1/completions",
            """
            {"model":"gpt-3.5-turbo-instruct","prompt":"Once upon","stream":true}""",
            "x-fake-text",
            "a time");

    assertThat(events.getLast().data()).isEqualTo("[DONE]");
    String text =
        events.subList(0, events.size() - 1).stream()
            .map(e -> e.json().at("/choices/0/text").asText())
            .reduce("", String::concat);
    assertThat(text).isEqualTo("a time");
  }

  @Test
  void embeddingsAreDeterministicUnitVectorsOfTheAskedSize() {
    String request =
        """
        {"model":"text-embedding-3-small","input":["the cat sat","the cat sat"],"dimensions":64}""";
    JsonNode body = LoopbackClient.json(client.post("/v1/embeddings", request));
    JsonNode again = LoopbackClient.json(client.post("/v1/embeddings", request));

    assertThat(body.get("object").asText()).isEqualTo("list");
    assertThat(body.get("data")).hasSize(2);
    JsonNode vector = body.at("/data/0/embedding");
    assertThat(vector).hasSize(64);
    assertThat(vector)
        .isEqualTo(body.at("/data/1/embedding"))
        .isEqualTo(again.at("/data/0/embedding"));
    double norm = 0;
    for (JsonNode v : vector) {
      norm += v.asDouble() * v.asDouble();
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(body.at("/usage/prompt_tokens").asInt()).isPositive();
  }

  @Test
  void similarTextsGetCloserEmbeddingsThanUnrelatedOnes() {
    float[] a = HashedEmbedding.of("what is the capital of france", 256);
    float[] b = HashedEmbedding.of("what is the capital of france?", 256);
    float[] c = HashedEmbedding.of("recipe for banana bread", 256);

    assertThat(cosine(a, b)).isGreaterThan(0.99);
    assertThat(cosine(a, c)).isLessThan(0.5);
  }

  @Test
  void base64EmbeddingsDecodeToTheSameFloats() {
    JsonNode floats =
        LoopbackClient.json(
            client.post(
                "/v1/embeddings",
                """
                {"model":"m","input":"hello","dimensions":8}"""));
    JsonNode base64 =
        LoopbackClient.json(
            client.post(
                "/v1/embeddings",
                """
                {"model":"m","input":"hello","dimensions":8,"encoding_format":"base64"}"""));

    ByteBuffer bytes =
        ByteBuffer.wrap(Base64.getDecoder().decode(base64.at("/data/0/embedding").asText()))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 8; i++) {
      assertThat(bytes.getFloat()).isEqualTo(floats.at("/data/0/embedding/" + i).floatValue());
    }
  }

  @Test
  void modelListNamesTheConfiguredModels() {
    JsonNode body = LoopbackClient.json(client.get("/v1/models"));

    assertThat(body.get("object").asText()).isEqualTo("list");
    assertThat(body.get("data").findValuesAsText("id")).containsAll(FakeUpstream.DEFAULT_MODELS);
  }

  @Test
  void unknownPathIsA404InOpenAiFormat() {
    HttpResponse<String> response = client.post("/v1/nope", "{}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(LoopbackClient.json(response).at("/error/message").asText()).contains("/v1/nope");
  }

  @Test
  void invalidJsonIsA400InOpenAiFormat() {
    HttpResponse<String> response = client.post("/v1/chat/completions", "{not json");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(LoopbackClient.json(response).at("/error/type").asText())
        .isEqualTo("invalid_request_error");
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot; // both are unit vectors
  }
}
