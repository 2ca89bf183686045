package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.fake.RecordedRequest;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every provider, both client SDKs, stream and non-stream: the gateway in front of the fake
 * upstream speaking each provider's real wire protocol.
 */
class UpstreamProvidersTest {
  static final String KEY = "pc-test-providers-0123456789";
  static final String REPLY = "This is a fake reply from the Portcullis test upstream.";
  static FakeUpstream fake;
  static Gateway gateway;
  static OpenAIClient openai;
  static AnthropicClient anthropic;

  /** route model → (provider, expected upstream path fragment, upstream key header). */
  record Upstream(String provider, String baseSuffix, String pathFragment) {}

  static final Map<String, Upstream> UPSTREAMS =
      Map.of(
          "via-openai", new Upstream("openai", "/v1", "/v1/chat/completions"),
          "via-azure",
              new Upstream("azure-openai", "", "/openai/deployments/up-model/chat/completions"),
          "via-anthropic", new Upstream("anthropic", "", "/v1/messages"),
          "via-gemini", new Upstream("gemini", "/v1beta", "/v1beta/models/up-model:"),
          "via-compatible", new Upstream("openai-compatible", "/v1", "/v1/chat/completions"));

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    TestSnapshots snapshot = TestSnapshots.builder().key("team-a", "app", KEY);
    UPSTREAMS.forEach(
        (model, up) ->
            snapshot.route(
                "team-a",
                model,
                model,
                Mode.SINGLE,
                TestSnapshots.provider(
                    up.provider(), up.provider(), "up-model", fake.baseUrl() + up.baseSuffix())));
    gateway.apply(snapshot.build());
    openai =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
            .apiKey(KEY)
            .maxRetries(0)
            .build();
    anthropic =
        AnthropicOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gateway.port())
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

  private static void assertForwarded(String route) {
    Upstream up = UPSTREAMS.get(route);
    RecordedRequest seen = fake.lastRequest();
    assertThat(seen.path()).contains(up.pathFragment());
    assertThat(seen.apiKey()).isEqualTo("sk-upstream-" + up.provider());
    assertThat(seen.apiKey()).isNotEqualTo(KEY);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void openAiClientNonStreaming(String route) {
    ChatCompletion completion =
        openai
            .chat()
            .completions()
            .create(ChatCompletionCreateParams.builder().model(route).addUserMessage("hi").build());
    assertThat(completion.choices().getFirst().message().content()).hasValue(REPLY);
    assertThat(completion.usage().orElseThrow().completionTokens()).isPositive();
    assertForwarded(route);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void openAiClientStreaming(String route) {
    try (var stream =
        openai
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder().model(route).addUserMessage("hi").build())) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();
      String text =
          chunks.stream()
              .flatMap(c -> c.choices().stream())
              .map(c -> c.delta().content().orElse(""))
              .collect(Collectors.joining());
      assertThat(text).isEqualTo(REPLY);
      assertThat(chunks).allSatisfy(c -> assertThat(c.usage()).isEmpty());
    }
    assertForwarded(route);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void openAiClientStreamingWithUsage(String route) {
    try (var stream =
        openai
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model(route)
                    .addUserMessage("hi")
                    .streamOptions(
                        com.openai.models.chat.completions.ChatCompletionStreamOptions.builder()
                            .includeUsage(true)
                            .build())
                    .build())) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();
      assertThat(chunks.getLast().usage()).isPresent();
      assertThat(chunks.getLast().usage().get().completionTokens()).isPositive();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void anthropicClientNonStreaming(String route) {
    var message =
        anthropic
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model(route)
                    .maxTokens(200)
                    .system("be brief")
                    .addUserMessage("hi")
                    .build());
    assertThat(message.content().getFirst().asText().text()).isEqualTo(REPLY);
    assertThat(message.usage().outputTokens()).isPositive();
    assertForwarded(route);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void anthropicClientStreaming(String route) {
    try (var stream =
        anthropic
            .messages()
            .createStreaming(
                MessageCreateParams.builder()
                    .model(route)
                    .maxTokens(200)
                    .addUserMessage("hi")
                    .build())) {
      List<RawMessageStreamEvent> events = stream.stream().toList();
      String text =
          events.stream()
              .filter(RawMessageStreamEvent::isContentBlockDelta)
              .map(e -> e.asContentBlockDelta().delta())
              .filter(d -> d.isText())
              .map(d -> d.asText().text())
              .collect(Collectors.joining());
      assertThat(text).isEqualTo(REPLY);
      assertThat(events.getLast().isMessageStop()).isTrue();
      assertThat(
              events.stream()
                  .filter(RawMessageStreamEvent::isMessageDelta)
                  .findFirst()
                  .orElseThrow()
                  .asMessageDelta()
                  .usage()
                  .outputTokens())
          .isPositive();
    }
    assertForwarded(route);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void openAiClientToolCall(String route) {
    ChatCompletion completion =
        openai
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model(route)
                    .addUserMessage("weather in Paris?")
                    .addTool(
                        ChatCompletionFunctionTool.builder()
                            .function(
                                FunctionDefinition.builder()
                                    .name("get_weather")
                                    .parameters(
                                        FunctionParameters.builder()
                                            .putAdditionalProperty("type", JsonValue.from("object"))
                                            .putAdditionalProperty(
                                                "properties",
                                                JsonValue.from(
                                                    Map.of("city", Map.of("type", "string"))))
                                            .putAdditionalProperty(
                                                "required", JsonValue.from(List.of("city")))
                                            .build())
                                    .build())
                            .build())
                    .toolChoice(
                        ChatCompletionToolChoiceOption.ofAuto(
                            ChatCompletionToolChoiceOption.Auto.REQUIRED))
                    .build());
    var call = completion.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
    assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
    assertThat(call.asFunction().function().arguments()).contains("city");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void anthropicClientToolUse(String route) {
    var message =
        anthropic
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model(route)
                    .maxTokens(200)
                    .addUserMessage("weather in Paris?")
                    .addTool(
                        Tool.builder()
                            .name("get_weather")
                            .inputSchema(
                                Tool.InputSchema.builder()
                                    .properties(
                                        com.anthropic.core.JsonValue.from(
                                            Map.of("city", Map.of("type", "string"))))
                                    .required(List.of("city"))
                                    .build())
                            .build())
                    .toolChoice(ToolChoiceAny.builder().build())
                    .build());
    var toolUse =
        message.content().stream().filter(b -> b.isToolUse()).findFirst().orElseThrow().asToolUse();
    assertThat(toolUse.name()).isEqualTo("get_weather");
    assertThat(message.stopReason().orElseThrow().toString()).isEqualTo("tool_use");
  }
}
