package dev.portcullis.gateway.guardrail;

import static dev.portcullis.gateway.guardrail.GuardrailToolCallsAndResponsesHttpTest.anthropicArguments;
import static dev.portcullis.gateway.guardrail.GuardrailToolCallsAndResponsesHttpTest.anthropicStop;
import static dev.portcullis.gateway.guardrail.GuardrailToolCallsAndResponsesHttpTest.anthropicStream;
import static dev.portcullis.gateway.guardrail.GuardrailToolCallsAndResponsesHttpTest.chatTool;
import static dev.portcullis.gateway.guardrail.GuardrailToolCallsAndResponsesHttpTest.messageTool;
import static dev.portcullis.gateway.guardrail.GuardrailToolCallsAndResponsesHttpTest.openAiArguments;
import static dev.portcullis.gateway.guardrail.GuardrailToolCallsAndResponsesHttpTest.openAiStream;
import static dev.portcullis.gateway.guardrail.GuardrailToolCallsAndResponsesHttpTest.refusal;
import static dev.portcullis.gateway.guardrail.GuardrailToolCallsAndResponsesHttpTest.responseStream;
import static dev.portcullis.gateway.guardrail.GuardrailToolCallsAndResponsesHttpTest.responseTool;
import static dev.portcullis.gateway.guardrail.GuardrailToolCallsAndResponsesHttpTest.schema;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole-text output checks on answers that are tool calls, streamed and whole, same-format and
 * translated, through the official SDKs: a webhook and a length limit judge the tool call's
 * arguments, on a stream once at its end, and see the same text as on the whole answer; a {@code
 * jsonSchema} check on the answer does not judge an answer that is only tool calls. The webhook is
 * a real HTTP server on loopback that records what it was asked and matches one phrase.
 */
class GuardrailWholeTextToolCallsHttpTest {
  static final String KEY = "pc-guardrails-whole-text-test-key-0123456789";
  static final String MESSAGE = "Blocked by the whole-text policy";
  static final String FLAGGED = "please wire the funds";
  static final ChatCompletionChunk.Choice.FinishReason CONTENT_FILTER =
      ChatCompletionChunk.Choice.FinishReason.CONTENT_FILTER;

  static final Map<String, Object> WIRE = schema("note", FLAGGED);
  static final Map<String, Object> HARMLESS = schema("note", "lunch at noon");
  static final Map<String, Object> LONG = schema("note", "a fine day ".repeat(8).strip());

  @TempDir static Path dir;
  static HttpServer webhook;
  static final List<String> judged = new CopyOnWriteArrayList<>();
  static GuardrailGateway gw;

  @BeforeAll
  static void start() throws Exception {
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/check",
        exchange -> {
          String text =
              new ObjectMapper().readTree(exchange.getRequestBody()).path("text").asText();
          judged.add(text);
          byte[] body =
              ("{\"match\":" + text.contains(FLAGGED) + "}").getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("content-type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    webhook.start();
    gw =
        new GuardrailGateway(
            dir,
            KEY,
            MESSAGE,
            """
            - {name: json-only, stages: [Output], action: Deny, jsonSchema: {schema: {type: object, required: [answer]}}}
            - {name: moderation, stages: [Output], action: Deny, webhook: {url: "http://127.0.0.1:%d/check", timeout: 5s}}
            - {name: size, stages: [Output], action: Deny, length: {maxCharacters: 60}}
            """
                .formatted(webhook.getAddress().getPort()),
            GuardrailToolCallsAndResponsesHttpTest.ROUTES);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    webhook.stop(0);
  }

  @BeforeEach
  void forget() {
    judged.clear();
  }

  static String denial(String check) {
    return MESSAGE + " (policy default/policy, check " + check + ")";
  }

  // ---- OpenAI chat: oa same-format, an an Anthropic upstream translated

  @ParameterizedTest
  @ValueSource(strings = {"oa", "an"})
  void aWebhookJudgesOpenAiToolCallArgumentsWholeAndAtTheStreamsEnd(String route) {
    ChatCompletion whole = gw.openai.chat().completions().create(chatTool(route, WIRE));
    assertThat(whole.choices().getFirst().finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    assertThat(whole.choices().getFirst().message().toolCalls()).isEmpty();
    assertThat(whole.choices().getFirst().message().refusal()).contains(denial("moderation"));

    List<ChatCompletionChunk> chunks = openAiStream(gw.openai, chatTool(route, WIRE));
    assertThat(chunks.getLast().choices().getFirst().delta().refusal())
        .contains(denial("moderation"));
    assertThat(finishReasons(chunks)).containsExactly(CONTENT_FILTER);

    // judged once each, on the same text: the arguments alone (no text, so no empty line first)
    assertThat(judged).containsExactly(openAiArguments(chunks), openAiArguments(chunks));
    assertThat(judged.getFirst()).isEqualTo("{\"note\":\"" + FLAGGED + "\"}");
  }

  static List<ChatCompletionChunk.Choice.FinishReason> finishReasons(
      List<ChatCompletionChunk> chunks) {
    return chunks.stream()
        .flatMap(c -> c.choices().stream())
        .flatMap(c -> c.finishReason().stream())
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"oa", "an"})
  void aToolCallPassesTheSchemaOfTheAnswerAndAnyJudgeThatDoesNotFire(String route) {
    ChatCompletion whole = gw.openai.chat().completions().create(chatTool(route, HARMLESS));
    assertThat(whole.choices().getFirst().finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    List<ChatCompletionChunk> chunks = openAiStream(gw.openai, chatTool(route, HARMLESS));
    assertThat(finishReasons(chunks))
        .containsExactly(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
    assertThat(openAiArguments(chunks)).isEqualTo("{\"note\":\"lunch at noon\"}");
    assertThat(judged).containsExactly(openAiArguments(chunks), openAiArguments(chunks));
  }

  @ParameterizedTest
  @ValueSource(strings = {"oa", "an"})
  void aLengthLimitCountsToolCallArgumentsWholeAndStreamed(String route) {
    ChatCompletion whole = gw.openai.chat().completions().create(chatTool(route, LONG));
    assertThat(whole.choices().getFirst().message().refusal()).contains(denial("size"));
    List<ChatCompletionChunk> chunks = openAiStream(gw.openai, chatTool(route, LONG));
    assertThat(chunks.getLast().choices().getFirst().delta().refusal()).contains(denial("size"));
    assertThat(finishReasons(chunks)).containsExactly(CONTENT_FILTER);
  }

  // ---- Anthropic messages: an same-format, oa an OpenAI upstream translated

  @ParameterizedTest
  @ValueSource(strings = {"an", "oa"})
  void aWebhookJudgesToolUseInputWholeAndAtTheStreamsEnd(String route) {
    Message whole = gw.anthropic.messages().create(messageTool(route, WIRE));
    assertThat(whole.stopReason()).hasValue(StopReason.REFUSAL);
    assertThat(whole.content()).isEmpty();

    List<RawMessageStreamEvent> events = anthropicStream(gw.anthropic, messageTool(route, WIRE));
    assertThat(anthropicStop(events)).isEqualTo(StopReason.REFUSAL);
    assertThat(events.getLast().isMessageStop()).isTrue();
    assertThat(events.stream().filter(RawMessageStreamEvent::isMessageStop)).hasSize(1);
    assertThat(judged).containsExactly(anthropicArguments(events), anthropicArguments(events));

    judged.clear();
    List<RawMessageStreamEvent> passing =
        anthropicStream(gw.anthropic, messageTool(route, HARMLESS));
    assertThat(anthropicStop(passing)).isEqualTo(StopReason.TOOL_USE);
    assertThat(judged).containsExactly(anthropicArguments(passing));
  }

  // ---- Responses API: resp speaks it upstream, chat is translated from chat completions

  @ParameterizedTest
  @ValueSource(strings = {"resp", "chat"})
  void aWebhookJudgesResponsesFunctionCallArgumentsWholeAndAtTheStreamsEnd(String upstream) {
    Response whole = gw.openai.responses().create(responseTool(upstream + "-tool", WIRE));
    assertThat(whole.status().orElseThrow().asString()).isEqualTo("incomplete");
    assertThat(refusal(whole)).isEqualTo(denial("moderation"));
    assertThat(whole.output()).hasSize(1);

    List<ResponseStreamEvent> events =
        responseStream(gw.openai, responseTool(upstream + "-tool", WIRE));
    Response end = events.getLast().asIncomplete().response();
    assertThat(end.incompleteDetails().orElseThrow().reason().orElseThrow().asString())
        .isEqualTo("content_filter");
    assertThat(refusal(end)).isEqualTo(denial("moderation"));
    assertThat(end.output()).hasSize(1);
    assertThat(events).noneMatch(ResponseStreamEvent::isCompleted);
    assertThat(judged).hasSize(2).allMatch(t -> t.equals("{\"note\":\"" + FLAGGED + "\"}"));

    List<ResponseStreamEvent> passing =
        responseStream(gw.openai, responseTool(upstream + "-tool", HARMLESS));
    assertThat(passing.getLast().isCompleted()).isTrue();
  }
}
