package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import com.openai.models.responses.ToolChoiceOptions;
import com.openai.models.responses.WebSearchTool;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.fake.RecordedRequest;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /v1/responses} through the official OpenAI Java SDK over real HTTP: passed through to
 * OpenAI and Azure OpenAI targets (the fake upstream speaks the Responses API), translated to chat
 * for an OpenAI-compatible server, Anthropic, Gemini and the built-in echo.
 */
class ResponsesApiTest {
  static final String KEY = "pc-test-responses-0123456789";
  static final String LIMITED_KEY = "pc-test-responses-limited-0123456789";
  static final String REPLY = "This is a fake reply from the Portcullis test upstream.";
  static FakeUpstream fake;
  static Gateway gateway;
  static OpenAIClient openai;

  /** A route to the fake: its provider, base URL suffix, priced model and the path it is sent. */
  record Upstream(String provider, String baseSuffix, String model, String path) {}

  static final Map<String, Upstream> UPSTREAMS =
      Map.of(
          "resp-openai", new Upstream("openai", "/v1", "gpt-4o-mini", "/v1/responses"),
          "resp-azure", new Upstream("azure-openai", "", "gpt-4o-mini", "/openai/v1/responses"),
          "resp-compatible",
              new Upstream("openai-compatible", "/v1", "gpt-4o-mini", "/v1/chat/completions"),
          "resp-anthropic", new Upstream("anthropic", "", "claude-sonnet-4-5", "/v1/messages"),
          "resp-gemini",
              new Upstream(
                  "gemini",
                  "/v1beta",
                  "gemini-2.5-flash",
                  "/v1beta/models/gemini-2.5-flash:generateContent"));

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    TestSnapshots snapshot =
        TestSnapshots.builder()
            .key("team-a", "app", KEY)
            .key(
                "team-a", "limited", LIMITED_KEY, new KeyConfig.Limits(1, null, null), null, false);
    UPSTREAMS.forEach(
        (route, up) ->
            snapshot.route(
                "team-a",
                route,
                route,
                Mode.SINGLE,
                TestSnapshots.provider(
                    up.provider(), up.provider(), up.model(), fake.baseUrl() + up.baseSuffix())));
    snapshot.route(
        "team-a",
        "resp-echo",
        "resp-echo",
        Mode.SINGLE,
        TestSnapshots.provider("echo", "echo", "gpt-4o-mini", null));
    gateway.apply(snapshot.build());
    openai =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
            .apiKey(KEY)
            .maxRetries(0)
            .build();
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

  static Stream<Arguments> routes() {
    return UPSTREAMS.keySet().stream().sorted().map(Arguments::of);
  }

  static Stream<Arguments> translatedRoutes() {
    return Stream.of("resp-anthropic", "resp-compatible", "resp-gemini").map(Arguments::of);
  }

  private static String text(Response response) {
    return response.output().stream()
        .filter(ResponseOutputItem::isMessage)
        .flatMap(m -> m.asMessage().content().stream())
        .map(c -> c.asOutputText().text())
        .collect(Collectors.joining());
  }

  private static JsonNode upstreamBody() throws Exception {
    return Jackson.MAPPER.readTree(fake.lastRequest().body());
  }

  private static FunctionTool weatherTool() {
    return FunctionTool.builder()
        .name("get_weather")
        .description("Weather in a city")
        .parameters(
            FunctionTool.Parameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty(
                    "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                .build())
        .strict(false)
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void textAnswerCarriesUsageAndCost(String route) {
    HttpResponseFor<Response> raw =
        openai
            .responses()
            .withRawResponse()
            .create(
                ResponseCreateParams.builder()
                    .model(route)
                    .instructions("Be brief.")
                    .input("hi")
                    .maxOutputTokens(200)
                    .temperature(0.5)
                    .build());
    Response response = raw.parse();
    assertThat(text(response)).isEqualTo(REPLY);
    // Translated answers name the client's model; passed-through ones the upstream's, as for chat.
    boolean passedThrough = UPSTREAMS.get(route).path().endsWith("/responses");
    assertThat(response.model().toString())
        .contains(passedThrough ? UPSTREAMS.get(route).model() : route);
    assertThat(response.usage().orElseThrow().outputTokens()).isPositive();
    assertThat(response.usage().orElseThrow().inputTokens()).isPositive();
    assertThat(new BigDecimal(raw.headers().values("x-portcullis-cost-usd").getFirst()))
        .isPositive();
    RecordedRequest seen = fake.lastRequest();
    assertThat(seen.path()).isEqualTo(UPSTREAMS.get(route).path());
    assertThat(seen.apiKey()).isEqualTo("sk-upstream-" + UPSTREAMS.get(route).provider());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void streamSendsTheResponsesEventsAndEndsWithUsage(String route) {
    List<ResponseStreamEvent> events;
    try (var stream =
        openai
            .responses()
            .createStreaming(ResponseCreateParams.builder().model(route).input("hi").build())) {
      events = stream.stream().toList();
    }
    String text =
        events.stream()
            .filter(ResponseStreamEvent::isOutputTextDelta)
            .map(e -> e.asOutputTextDelta().delta())
            .collect(Collectors.joining());
    assertThat(text).isEqualTo(REPLY);
    assertThat(events.getFirst().isCreated()).isTrue();
    assertThat(events).anyMatch(ResponseStreamEvent::isInProgress);
    assertThat(events).anyMatch(ResponseStreamEvent::isOutputItemAdded);
    assertThat(events).anyMatch(ResponseStreamEvent::isContentPartAdded);
    assertThat(events).anyMatch(ResponseStreamEvent::isOutputTextDone);
    assertThat(events).anyMatch(ResponseStreamEvent::isContentPartDone);
    assertThat(events).anyMatch(ResponseStreamEvent::isOutputItemDone);
    Response completed = events.getLast().asCompleted().response();
    assertThat(text(completed)).isEqualTo(REPLY);
    assertThat(completed.usage().orElseThrow().outputTokens()).isPositive();
    assertThat(fake.lastRequest().path()).startsWith(UPSTREAMS.get(route).path().split(":")[0]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void forcedToolCallComesBackAsFunctionCallItem(String route) {
    Response response =
        openai
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model(route)
                    .input("weather in Paris?")
                    .addTool(weatherTool())
                    .toolChoice(ToolChoiceOptions.REQUIRED)
                    .build());
    ResponseFunctionToolCall call =
        response.output().stream()
            .filter(ResponseOutputItem::isFunctionCall)
            .findFirst()
            .orElseThrow()
            .asFunctionCall();
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call.callId()).isNotBlank();
    assertThat(call.arguments()).contains("\"city\"");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void streamedToolCallSendsArgumentDeltas(String route) {
    List<ResponseStreamEvent> events;
    try (var stream =
        openai
            .responses()
            .createStreaming(
                ResponseCreateParams.builder()
                    .model(route)
                    .input("weather in Paris?")
                    .addTool(weatherTool())
                    .toolChoice(ToolChoiceOptions.REQUIRED)
                    .build())) {
      events = stream.stream().toList();
    }
    String arguments =
        events.stream()
            .filter(ResponseStreamEvent::isFunctionCallArgumentsDelta)
            .map(e -> e.asFunctionCallArgumentsDelta().delta())
            .collect(Collectors.joining());
    String done =
        events.stream()
            .filter(ResponseStreamEvent::isFunctionCallArgumentsDone)
            .findFirst()
            .orElseThrow()
            .asFunctionCallArgumentsDone()
            .arguments();
    assertThat(arguments).isEqualTo(done).contains("\"city\"");
    Response completed = events.getLast().asCompleted().response();
    assertThat(completed.output().getFirst().asFunctionCall().name()).isEqualTo("get_weather");
    assertThat(completed.usage()).isPresent();
  }

  @Test
  void echoStreamsTheResponsesEvents() {
    List<ResponseStreamEvent> events;
    try (var stream =
        openai
            .responses()
            .createStreaming(
                ResponseCreateParams.builder().model("resp-echo").input("stream me").build())) {
      events = stream.stream().toList();
    }
    String text =
        events.stream()
            .filter(ResponseStreamEvent::isOutputTextDelta)
            .map(e -> e.asOutputTextDelta().delta())
            .collect(Collectors.joining());
    assertThat(text).isEqualTo("Echo: stream me");
    Response completed = events.getLast().asCompleted().response();
    assertThat(completed.usage().orElseThrow().outputTokens()).isPositive();
  }

  @Test
  void toolCallRoundTripThroughEcho() {
    Response first =
        openai
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("resp-echo")
                    .input("call get_weather {\"city\":\"Paris\"}")
                    .addTool(weatherTool())
                    .build());
    ResponseFunctionToolCall call = first.output().getFirst().asFunctionCall();
    assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");

    Response second =
        openai
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("resp-echo")
                    .inputOfResponse(
                        List.of(
                            ResponseInputItem.ofEasyInputMessage(
                                EasyInputMessage.builder()
                                    .role(EasyInputMessage.Role.USER)
                                    .content("call get_weather {\"city\":\"Paris\"}")
                                    .build()),
                            ResponseInputItem.ofFunctionCall(call),
                            ResponseInputItem.ofFunctionCallOutput(
                                ResponseInputItem.FunctionCallOutput.builder()
                                    .callId(call.callId())
                                    .output("sunny, 21 C")
                                    .build())))
                    .addTool(weatherTool())
                    .build());
    assertThat(text(second)).isEqualTo("Echo: sunny, 21 C");
    assertThat(second.usage().orElseThrow().inputTokens()).isPositive();
  }

  @Test
  void functionCallOutputReachesAnthropicAsToolResult() throws Exception {
    openai
        .responses()
        .create(
            ResponseCreateParams.builder()
                .model("resp-anthropic")
                .inputOfResponse(
                    List.of(
                        ResponseInputItem.ofEasyInputMessage(
                            EasyInputMessage.builder()
                                .role(EasyInputMessage.Role.USER)
                                .content("weather in Paris?")
                                .build()),
                        ResponseInputItem.ofFunctionCall(
                            ResponseFunctionToolCall.builder()
                                .callId("call_1")
                                .name("get_weather")
                                .arguments("{\"city\":\"Paris\"}")
                                .build()),
                        ResponseInputItem.ofFunctionCallOutput(
                            ResponseInputItem.FunctionCallOutput.builder()
                                .callId("call_1")
                                .output("sunny")
                                .build())))
                .addTool(weatherTool())
                .build());
    JsonNode messages = upstreamBody().get("messages");
    assertThat(messages.get(1).path("content").get(0).path("type").asText()).isEqualTo("tool_use");
    assertThat(messages.get(2).path("content").get(0).path("type").asText())
        .isEqualTo("tool_result");
    assertThat(messages.get(2).path("content").get(0).path("tool_use_id").asText())
        .isEqualTo("call_1");
  }

  private static ResponseCreateParams structured(String route) {
    return ResponseCreateParams.builder()
        .model(route)
        .input("a city as JSON")
        .text(
            ResponseTextConfig.builder()
                .format(
                    ResponseFormatTextJsonSchemaConfig.builder()
                        .name("city")
                        .schema(
                            ResponseFormatTextJsonSchemaConfig.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty(
                                    "properties",
                                    JsonValue.from(Map.of("name", Map.of("type", "string"))))
                                .build())
                        .strict(true)
                        .build())
                .build())
        .build();
  }

  @Test
  void structuredOutputBecomesChatResponseFormat() throws Exception {
    openai.responses().create(structured("resp-compatible"));
    JsonNode format = upstreamBody().get("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("name").asText()).isEqualTo("city");
    assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
    assertThat(format.path("json_schema").path("schema").path("properties").has("name")).isTrue();
  }

  @Test
  void structuredOutputPassesUnchangedToOpenAi() throws Exception {
    openai.responses().create(structured("resp-openai"));
    JsonNode body = upstreamBody();
    assertThat(body.path("text").path("format").path("name").asText()).isEqualTo("city");
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translatedRoutes")
  void builtInToolIsRefusedOnTranslatedRoutes(String route) {
    assertThatThrownBy(
            () ->
                openai
                    .responses()
                    .create(
                        ResponseCreateParams.builder()
                            .model(route)
                            .input("news?")
                            .addTool(
                                WebSearchTool.builder()
                                    .type(WebSearchTool.Type.of("web_search"))
                                    .build())
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("tools[0].type")
        .hasMessageContaining("web_search");
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void builtInToolIsForwardedToOpenAi() throws Exception {
    openai
        .responses()
        .create(
            ResponseCreateParams.builder()
                .model("resp-openai")
                .input("news?")
                .addTool(WebSearchTool.builder().type(WebSearchTool.Type.of("web_search")).build())
                .build());
    assertThat(upstreamBody().path("tools").get(0).path("type").asText()).isEqualTo("web_search");
  }

  @Test
  void previousResponseIdIsForwardedToOpenAi() throws Exception {
    openai
        .responses()
        .create(
            ResponseCreateParams.builder()
                .model("resp-azure")
                .input("and then?")
                .previousResponseId("resp_abc")
                .build());
    assertThat(upstreamBody().path("previous_response_id").asText()).isEqualTo("resp_abc");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translatedRoutes")
  void previousResponseIdIsRefusedOnTranslatedRoutes(String route) {
    assertThatThrownBy(
            () ->
                openai
                    .responses()
                    .create(
                        ResponseCreateParams.builder()
                            .model(route)
                            .input("and then?")
                            .previousResponseId("resp_abc")
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("previous_response_id");
  }

  @Test
  void theKeysRequestLimitAppliesToResponses() {
    OpenAIClient limited =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
            .apiKey(LIMITED_KEY)
            .maxRetries(0)
            .build();
    ResponseCreateParams params =
        ResponseCreateParams.builder().model("resp-echo").input("once").build();
    assertThat(text(limited.responses().create(params))).isEqualTo("Echo: once");
    assertThatThrownBy(() -> limited.responses().create(params))
        .isInstanceOf(RateLimitException.class);
  }

  @Test
  void storedResponsesAreRefusedWithA400ThatSaysWhy() {
    assertThatThrownBy(() -> openai.responses().retrieve("resp_1"))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.code()).contains("stored_responses_unsupported");
              assertThat(e.getMessage())
                  .contains("/v1/responses/resp_1")
                  .contains("keeps no stored responses");
            });
  }

  @Test
  void translatedStreamReportsItsCostAtTheEnd() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + "/v1/responses"))
                    .header("authorization", "Bearer " + KEY)
                    .header("content-type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"resp-anthropic\",\"input\":\"hi\",\"stream\":true}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("event: response.created")
        .contains("event: response.completed")
        .contains(": x-portcullis-cost-usd=");
  }
}
