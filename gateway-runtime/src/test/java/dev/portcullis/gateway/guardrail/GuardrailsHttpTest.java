package dev.portcullis.gateway.guardrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.portcullis.gateway.fake.FakeUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guardrail policies enforced end to end over real HTTP, through the official OpenAI and Anthropic
 * SDKs, against the fake upstream that records what it received: input redaction reaches the
 * upstream masked, a denied input never reaches it, a denied output comes back with the provider's
 * own refusal signal, whole or streamed, same-format or translated.
 */
class GuardrailsHttpTest {
  static final String KEY = "pc-guardrails-http-test-key-0123456789";
  static final String ANSWER = "Try globex corp now";
  static final String MAIL_ANSWER = "Write to eve@example.net today";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static GuardrailGateway gw;
  static FakeUpstream fake;
  static OpenAIClient openai;
  static AnthropicClient anthropic;

  @BeforeAll
  static void start() throws Exception {
    gw =
        new GuardrailGateway(
            dir,
            KEY,
            "Blocked by the test policy",
            """
            - {name: mask-email, stages: [Input, Output], action: Redact, pii: {entities: [Email]}}
            - {name: no-secrets, stages: [Input], action: Deny, denyList: {words: [topsecret]}}
            - {name: no-competitor, stages: [Output], action: Deny, denyList: {words: ["globex corp"]}}
            """,
            new String[] {"echo-oa", "openai-compatible", "m;echo=true"},
            new String[] {"deny-oa", "openai-compatible", "m;text=" + ANSWER},
            new String[] {"echo-an", "anthropic", "m;echo=true"},
            new String[] {"deny-an", "anthropic", "m;text=" + ANSWER},
            new String[] {"mail-an", "anthropic", "m;text=" + MAIL_ANSWER});
    fake = gw.fake;
    openai = gw.openai;
    anthropic = gw.anthropic;
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  @BeforeEach
  void clearRecords() {
    fake.reset();
  }

  static ChatCompletionCreateParams chat(String model, String text) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(text).build();
  }

  static MessageCreateParams message(String model, String text) {
    return MessageCreateParams.builder().model(model).maxTokens(100).addUserMessage(text).build();
  }

  static String openAiStreamText(List<ChatCompletionChunk> chunks) {
    return chunks.stream()
        .flatMap(c -> c.choices().stream())
        .map(c -> c.delta().content().orElse(""))
        .collect(Collectors.joining());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway.port() + path))
            .header("authorization", "Bearer " + KEY)
            .header("x-api-key", KEY)
            .header("anthropic-version", "2023-06-01")
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // ---- Input

  @Test
  void theUpstreamSeesTheMaskedTextAndTheCallerTheVerdictHeader() throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/chat/completions",
            "{\"model\":\"echo-oa\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Mail bob@example.com today\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    String upstream = fake.lastRequest().bodyText();
    assertThat(upstream).doesNotContain("bob@example.com").contains("[EMAIL_1]");
    assertThat(response.body()).doesNotContain("bob@example.com");
    assertThat(response.headers().firstValue("x-portcullis-guardrails").orElse(""))
        .contains("default/policy/mask-email");
  }

  @Test
  void anAnthropicCallersTextIsMaskedOnATranslatedRouteToo() {
    Message answer = anthropic.messages().create(message("echo-oa", "Write to ann@example.org"));

    assertThat(fake.lastRequest().bodyText()).doesNotContain("ann@example.org");
    assertThat(answer.content().getFirst().asText().text()).contains("[EMAIL_1]");
  }

  @Test
  void aDeniedPromptIs400InOpenAiFormatWithNoUpstreamCall() {
    assertThatThrownBy(
            () -> openai.chat().completions().create(chat("echo-oa", "the topsecret plan")))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.code()).contains("guardrail_denied");
              assertThat(e.getMessage())
                  .contains("Blocked by the test policy")
                  .contains("default/policy")
                  .contains("no-secrets")
                  .doesNotContain("topsecret plan");
            });
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void aDeniedPromptIs400InAnthropicFormatAndCostsNothing() throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/messages",
            "{\"model\":\"echo-an\",\"max_tokens\":16,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"topsecret\"}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(body.path("error").path("message").asText()).contains("no-secrets");
    assertThat(response.headers().firstValue("x-portcullis-cost-usd")).hasValue("0");
    assertThat(fake.requestCount()).isZero();
  }

  // ---- Output, whole answers

  @Test
  void aDeniedAnswerIsAContentFilterRefusalForOpenAi() {
    ChatCompletion completion = openai.chat().completions().create(chat("deny-oa", "hi"));

    var choice = completion.choices().getFirst();
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    assertThat(choice.message().content()).isEmpty();
    assertThat(choice.message().refusal())
        .hasValueSatisfying(r -> assertThat(r).contains("no-competitor"));
  }

  @Test
  void aDeniedAnswerIsARefusalStopForAnthropic() {
    Message answer = anthropic.messages().create(message("deny-an", "hi"));

    assertThat(answer.stopReason()).hasValue(StopReason.REFUSAL);
    assertThat(answer.content()).isEmpty();
  }

  @Test
  void aDeniedAnswerFromATranslatedUpstreamIsAContentFilterRefusal() {
    ChatCompletion completion = openai.chat().completions().create(chat("deny-an", "hi"));

    assertThat(completion.choices().getFirst().finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    assertThat(completion.choices().getFirst().message().content()).isEmpty();
  }

  // ---- Output, streams

  @Test
  void aDenyPhraseSplitAcrossChunksNeverReachesAnOpenAiStream() {
    try (var stream = openai.chat().completions().createStreaming(chat("deny-oa", "hi"))) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();

      assertThat(openAiStreamText(chunks)).doesNotContainIgnoringCase("globex");
      var last = chunks.getLast().choices().getFirst();
      assertThat(last.finishReason())
          .hasValue(ChatCompletionChunk.Choice.FinishReason.CONTENT_FILTER);
      assertThat(last.delta().refusal())
          .hasValueSatisfying(r -> assertThat(r).contains("no-competitor"));
    }
  }

  @Test
  void aDenyPhraseNeverReachesAnAnthropicStreamWhichEndsWithRefusal() {
    try (var stream = anthropic.messages().createStreaming(message("deny-an", "hi"))) {
      List<RawMessageStreamEvent> events = stream.stream().toList();

      String text =
          events.stream()
              .filter(RawMessageStreamEvent::isContentBlockDelta)
              .map(e -> e.asContentBlockDelta().delta())
              .filter(d -> d.isText())
              .map(d -> d.asText().text())
              .collect(Collectors.joining());
      assertThat(text).doesNotContainIgnoringCase("globex").startsWith("Try");
      assertThat(events.getLast().isMessageStop()).isTrue();
      assertThat(
              events.stream()
                  .filter(RawMessageStreamEvent::isMessageDelta)
                  .map(e -> e.asMessageDelta().delta().stopReason())
                  .toList())
          .containsExactly(java.util.Optional.of(StopReason.REFUSAL));
    }
  }

  @Test
  void aTranslatedStreamIsStoppedWithContentFilterToo() {
    try (var stream = openai.chat().completions().createStreaming(chat("deny-an", "hi"))) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();

      assertThat(openAiStreamText(chunks)).doesNotContainIgnoringCase("globex");
      assertThat(chunks.getLast().choices().getFirst().finishReason())
          .hasValue(ChatCompletionChunk.Choice.FinishReason.CONTENT_FILTER);
    }
  }

  @Test
  void aStreamedAnswerIsRedactedAsItFlows() throws Exception {
    // The input is masked before the upstream; the echo shows the placeholder, and no address
    // leaves in any chunk.
    try (var stream =
        openai
            .chat()
            .completions()
            .createStreaming(chat("echo-oa", "reach me at eve@example.net now"))) {
      String text = openAiStreamText(stream.stream().toList());

      assertThat(text).contains("[EMAIL_1]").doesNotContain("eve@example.net");
    }
  }

  @Test
  void anAnthropicStreamIsRedactedAsItFlows() {
    try (var stream = anthropic.messages().createStreaming(message("mail-an", "hi"))) {
      List<RawMessageStreamEvent> events = stream.stream().toList();
      String text =
          events.stream()
              .filter(RawMessageStreamEvent::isContentBlockDelta)
              .map(e -> e.asContentBlockDelta().delta())
              .filter(d -> d.isText())
              .map(d -> d.asText().text())
              .collect(Collectors.joining());

      assertThat(text).isEqualTo("Write to [EMAIL_1] today");
      assertThat(events.getLast().isMessageStop()).isTrue();
    }
  }

  @Test
  void aTranslatedStreamIsRedactedAsItFlows() {
    try (var stream = openai.chat().completions().createStreaming(chat("mail-an", "hi"))) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();

      assertThat(openAiStreamText(chunks)).isEqualTo("Write to [EMAIL_1] today");
      assertThat(
              chunks.stream()
                  .flatMap(c -> c.choices().stream())
                  .flatMap(c -> c.finishReason().stream())
                  .toList())
          .containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
    }
  }

  @Test
  void aStreamEndsWithTheVerdictsAsAFinalComment() throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/chat/completions",
            "{\"model\":\"deny-oa\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.body())
        .contains("\"finish_reason\":\"content_filter\"")
        .contains("data: [DONE]")
        .contains(": x-portcullis-guardrails=denied:default/policy/no-competitor")
        .doesNotContainIgnoringCase("globex");
  }
}
