package dev.portcullis.gateway.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ToolChoiceOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Output guardrails on what {@link GuardrailsHttpTest} leaves out: tool-call arguments as they
 * stream (OpenAI {@code function.arguments} deltas, Anthropic {@code input_json_delta}, Responses
 * {@code function_call_arguments.delta}), same-format and translated, and the Responses API's
 * output, whole and streamed, from an upstream that speaks it and from a chat upstream. The fake
 * upstream streams a tool call's arguments in 8-character pieces, so {@code "globex corp"} and the
 * e-mail address always arrive split across deltas.
 */
class GuardrailToolCallsAndResponsesHttpTest {
  static final String KEY = "pc-guardrails-tools-test-key-0123456789";
  static final String ANSWER = "Try globex corp now";
  static final String MAIL_ANSWER = "Write to eve@example.net today";
  static final String MESSAGE = "Blocked by the tools policy";

  @TempDir static Path dir;
  static GuardrailGateway gw;
  static OpenAIClient openai;
  static AnthropicClient anthropic;

  /** Routes oa, an (chat, both providers), resp-* (Responses upstream) and chat-* (translated). */
  static final String[][] ROUTES = {
    {"oa", "openai-compatible", "m"},
    {"an", "anthropic", "m"},
    {"resp-deny", "openai", "m;text=" + ANSWER},
    {"resp-mail", "openai", "m;text=" + MAIL_ANSWER},
    {"resp-tool", "openai", "m"},
    {"chat-deny", "openai-compatible", "m;text=" + ANSWER},
    {"chat-mail", "openai-compatible", "m;text=" + MAIL_ANSWER},
    {"chat-tool", "openai-compatible", "m"},
  };

  @BeforeAll
  static void start() throws Exception {
    gw =
        new GuardrailGateway(
            dir,
            KEY,
            MESSAGE,
            """
            - {name: mask-email, stages: [Output], action: Redact, pii: {entities: [Email]}}
            - {name: no-competitor, stages: [Output], action: Deny, denyList: {words: ["globex corp"]}}
            """,
            ROUTES);
    openai = gw.openai;
    anthropic = gw.anthropic;
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  /** The one argument the fake will fill with the schema's only allowed value. */
  static Map<String, Object> schema(String property, String value) {
    return Map.of(property, Map.of("type", "string", "enum", List.of(value)));
  }

  static final Map<String, Object> BUY = schema("vendor", "globex corp");
  static final Map<String, Object> MAIL = schema("to", "eve@example.net");

  static ChatCompletionCreateParams chatTool(String model, Map<String, Object> properties) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addUserMessage("go")
        .addTool(
            ChatCompletionFunctionTool.builder()
                .function(
                    FunctionDefinition.builder()
                        .name("act")
                        .parameters(
                            FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(properties))
                                .putAdditionalProperty(
                                    "required", JsonValue.from(List.copyOf(properties.keySet())))
                                .build())
                        .build())
                .build())
        .toolChoice(
            ChatCompletionToolChoiceOption.ofAuto(ChatCompletionToolChoiceOption.Auto.REQUIRED))
        .build();
  }

  static MessageCreateParams messageTool(String model, Map<String, Object> properties) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(200)
        .addUserMessage("go")
        .addTool(
            Tool.builder()
                .name("act")
                .inputSchema(
                    Tool.InputSchema.builder()
                        .properties(com.anthropic.core.JsonValue.from(properties))
                        .required(List.copyOf(properties.keySet()))
                        .build())
                .build())
        .toolChoice(ToolChoiceAny.builder().build())
        .build();
  }

  static ResponseCreateParams responseTool(String model, Map<String, Object> properties) {
    return ResponseCreateParams.builder()
        .model(model)
        .input("go")
        .addTool(
            FunctionTool.builder()
                .name("act")
                .parameters(
                    FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(properties))
                        .putAdditionalProperty(
                            "required", JsonValue.from(List.copyOf(properties.keySet())))
                        .build())
                .strict(false)
                .build())
        .toolChoice(ToolChoiceOptions.REQUIRED)
        .build();
  }

  static List<ChatCompletionChunk> openAiStream(
      OpenAIClient openai, ChatCompletionCreateParams params) {
    try (var stream = openai.chat().completions().createStreaming(params)) {
      return stream.stream().toList();
    }
  }

  static String openAiArguments(List<ChatCompletionChunk> chunks) {
    return chunks.stream()
        .flatMap(c -> c.choices().stream())
        .flatMap(c -> c.delta().toolCalls().orElse(List.of()).stream())
        .map(t -> t.function().flatMap(f -> f.arguments()).orElse(""))
        .collect(Collectors.joining());
  }

  static List<RawMessageStreamEvent> anthropicStream(
      AnthropicClient anthropic, MessageCreateParams params) {
    try (var stream = anthropic.messages().createStreaming(params)) {
      return stream.stream().toList();
    }
  }

  static String anthropicArguments(List<RawMessageStreamEvent> events) {
    return events.stream()
        .filter(RawMessageStreamEvent::isContentBlockDelta)
        .map(e -> e.asContentBlockDelta().delta())
        .filter(d -> d.isInputJson())
        .map(d -> d.asInputJson().partialJson())
        .collect(Collectors.joining());
  }

  static StopReason anthropicStop(List<RawMessageStreamEvent> events) {
    return events.stream()
        .filter(RawMessageStreamEvent::isMessageDelta)
        .reduce((a, b) -> b)
        .orElseThrow()
        .asMessageDelta()
        .delta()
        .stopReason()
        .orElseThrow();
  }

  static List<ResponseStreamEvent> responseStream(
      OpenAIClient openai, ResponseCreateParams params) {
    try (var stream = openai.responses().createStreaming(params)) {
      return stream.stream().toList();
    }
  }

  // ---- Tool-call arguments on chat streams: same-format and translated

  /** oa: same-format OpenAI; an: an Anthropic upstream translated to OpenAI chunks. */
  @ParameterizedTest
  @ValueSource(strings = {"oa", "an"})
  void aDenyPhraseSplitAcrossOpenAiArgumentDeltasIsNeverDelivered(String route) {
    List<ChatCompletionChunk> chunks = openAiStream(openai, chatTool(route, BUY));
    assertThat(openAiArguments(chunks)).doesNotContainIgnoringCase("globex");
    var last = chunks.getLast().choices().getFirst();
    assertThat(last.finishReason().orElseThrow())
        .isEqualTo(ChatCompletionChunk.Choice.FinishReason.CONTENT_FILTER);
    assertThat(last.delta().refusal())
        .contains(MESSAGE + " (policy default/policy, check no-competitor)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"oa", "an"})
  void openAiArgumentDeltasAreRedactedAsTheyFlow(String route) {
    List<ChatCompletionChunk> chunks = openAiStream(openai, chatTool(route, MAIL));
    assertThat(openAiArguments(chunks)).isEqualTo("{\"to\":\"[EMAIL_1]\"}");
    assertThat(chunks.getLast().choices().getFirst().finishReason().orElseThrow())
        .isEqualTo(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
  }

  /** an: same-format Anthropic; oa: an OpenAI upstream translated to Anthropic events. */
  @ParameterizedTest
  @ValueSource(strings = {"an", "oa"})
  void aDenyPhraseSplitAcrossInputJsonDeltasIsNeverDelivered(String route) {
    List<RawMessageStreamEvent> events = anthropicStream(anthropic, messageTool(route, BUY));
    assertThat(anthropicArguments(events)).doesNotContainIgnoringCase("globex");
    assertThat(anthropicStop(events)).isEqualTo(StopReason.REFUSAL);
    assertThat(events.getLast().isMessageStop()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"an", "oa"})
  void inputJsonDeltasAreRedactedAsTheyFlow(String route) {
    List<RawMessageStreamEvent> events = anthropicStream(anthropic, messageTool(route, MAIL));
    assertThat(anthropicArguments(events)).isEqualTo("{\"to\":\"[EMAIL_1]\"}");
    assertThat(anthropicStop(events)).isEqualTo(StopReason.TOOL_USE);
  }

  @Test
  void wholeAnswerToolArgumentsAreRedactedAndDenied() {
    ChatCompletion masked = openai.chat().completions().create(chatTool("oa", MAIL));
    assertThat(
            masked
                .choices()
                .getFirst()
                .message()
                .toolCalls()
                .orElseThrow()
                .getFirst()
                .asFunction()
                .function()
                .arguments())
        .isEqualTo("{\"to\":\"[EMAIL_1]\"}");
    ChatCompletion denied = openai.chat().completions().create(chatTool("an", BUY));
    assertThat(denied.choices().getFirst().finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    assertThat(denied.choices().getFirst().message().toolCalls()).isEmpty();
  }

  // ---- Responses API: resp-* speak it upstream, chat-* are translated from chat completions

  static String outputText(Response response) {
    return response.output().stream()
        .filter(ResponseOutputItem::isMessage)
        .flatMap(m -> m.asMessage().content().stream())
        .filter(c -> c.isOutputText())
        .map(c -> c.asOutputText().text())
        .collect(Collectors.joining());
  }

  static String refusal(Response response) {
    return response.output().stream()
        .filter(ResponseOutputItem::isMessage)
        .flatMap(m -> m.asMessage().content().stream())
        .filter(c -> c.isRefusal())
        .map(c -> c.asRefusal().refusal())
        .collect(Collectors.joining());
  }

  @ParameterizedTest
  @ValueSource(strings = {"resp", "chat"})
  void aWholeResponsesAnswerIsRedacted(String upstream) {
    Response response =
        openai
            .responses()
            .create(ResponseCreateParams.builder().model(upstream + "-mail").input("hi").build());
    assertThat(outputText(response)).isEqualTo("Write to [EMAIL_1] today");
  }

  @ParameterizedTest
  @ValueSource(strings = {"resp", "chat"})
  void aDeniedWholeResponsesAnswerIsAnIncompleteContentFilterRefusal(String upstream) {
    Response response =
        openai
            .responses()
            .create(ResponseCreateParams.builder().model(upstream + "-deny").input("hi").build());
    assertThat(response.status().orElseThrow().asString()).isEqualTo("incomplete");
    assertThat(response.incompleteDetails().orElseThrow().reason().orElseThrow().asString())
        .isEqualTo("content_filter");
    assertThat(outputText(response)).isEmpty();
    assertThat(refusal(response)).startsWith(MESSAGE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"resp", "chat"})
  void aResponsesStreamIsRedactedAsItFlowsAndItsEndAgrees(String upstream) {
    List<ResponseStreamEvent> events =
        responseStream(
            openai, ResponseCreateParams.builder().model(upstream + "-mail").input("hi").build());
    String deltas =
        events.stream()
            .filter(ResponseStreamEvent::isOutputTextDelta)
            .map(e -> e.asOutputTextDelta().delta())
            .collect(Collectors.joining());
    assertThat(deltas).isEqualTo("Write to [EMAIL_1] today");
    assertThat(
            events.stream()
                .filter(ResponseStreamEvent::isOutputTextDone)
                .findFirst()
                .orElseThrow()
                .asOutputTextDone()
                .text())
        .isEqualTo(deltas);
    assertThat(outputText(events.getLast().asCompleted().response())).isEqualTo(deltas);
    List<Long> sequence =
        events.stream().map(GuardrailToolCallsAndResponsesHttpTest::sequence).toList();
    assertThat(sequence).isSorted().doesNotHaveDuplicates();
  }

  static long sequence(ResponseStreamEvent e) {
    return com.openai.core.ObjectMappers.jsonMapper()
        .valueToTree(e)
        .path("sequence_number")
        .asLong();
  }

  @ParameterizedTest
  @ValueSource(strings = {"resp", "chat"})
  void aResponsesStreamStopsBeforeADenyPhraseAndEndsIncomplete(String upstream) {
    List<ResponseStreamEvent> events =
        responseStream(
            openai, ResponseCreateParams.builder().model(upstream + "-deny").input("hi").build());
    String deltas =
        events.stream()
            .filter(ResponseStreamEvent::isOutputTextDelta)
            .map(e -> e.asOutputTextDelta().delta())
            .collect(Collectors.joining());
    assertThat(deltas).doesNotContainIgnoringCase("globex").isEqualTo("Try ");
    Response end = events.getLast().asIncomplete().response();
    assertThat(end.incompleteDetails().orElseThrow().reason().orElseThrow().asString())
        .isEqualTo("content_filter");
    assertThat(refusal(end)).startsWith(MESSAGE);
    assertThat(events.stream().anyMatch(ResponseStreamEvent::isRefusalDone)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"resp", "chat"})
  void responsesFunctionCallArgumentsAreRedactedAndDeniedAsTheyStream(String upstream) {
    List<ResponseStreamEvent> masked =
        responseStream(openai, responseTool(upstream + "-tool", MAIL));
    String args =
        masked.stream()
            .filter(ResponseStreamEvent::isFunctionCallArgumentsDelta)
            .map(e -> e.asFunctionCallArgumentsDelta().delta())
            .collect(Collectors.joining());
    assertThat(args).isEqualTo("{\"to\":\"[EMAIL_1]\"}");
    Response completed = masked.getLast().asCompleted().response();
    assertThat(completed.output().getFirst().asFunctionCall().arguments()).isEqualTo(args);

    List<ResponseStreamEvent> denied =
        responseStream(openai, responseTool(upstream + "-tool", BUY));
    assertThat(
            denied.stream()
                .filter(ResponseStreamEvent::isFunctionCallArgumentsDelta)
                .map(e -> e.asFunctionCallArgumentsDelta().delta())
                .collect(Collectors.joining()))
        .doesNotContainIgnoringCase("globex");
    assertThat(denied.getLast().isIncomplete()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"resp", "chat"})
  void wholeResponsesFunctionCallArgumentsAreRedacted(String upstream) {
    Response response = openai.responses().create(responseTool(upstream + "-tool", MAIL));
    assertThat(response.output().getFirst().asFunctionCall().arguments())
        .isEqualTo("{\"to\":\"[EMAIL_1]\"}");
  }
}
