package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in echo provider through the official SDKs: no network beyond loopback. */
class EchoSdkTest {
  static final String KEY = "pc-test-echo-key-0123456789";
  static Gateway gateway;
  static OpenAIClient openai;
  static AnthropicClient anthropic;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(GatewaySettings.ephemeral());
    gateway.apply(
        TestSnapshots.builder()
            .route("team-a", "echo", "echo", Mode.SINGLE, TestSnapshots.echo("echo"))
            .key("team-a", "app", KEY)
            .build());
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
  }

  @Test
  void openAiChatIsAnsweredByEcho() {
    ChatCompletion completion =
        openai
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder().model("echo").addUserMessage("hello").build());
    assertThat(completion.choices().getFirst().message().content()).contains("Echo: hello");
    assertThat(completion.usage()).isPresent();
  }

  @Test
  void openAiStreamArrivesAsChunks() {
    try (var stream =
        openai
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("echo")
                    .addUserMessage("stream me please")
                    .build())) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();
      String text =
          chunks.stream()
              .flatMap(c -> c.choices().stream())
              .map(c -> c.delta().content().orElse(""))
              .collect(Collectors.joining());
      assertThat(chunks).hasSizeGreaterThan(2);
      assertThat(text).isEqualTo("Echo: stream me please");
    }
  }

  @Test
  void anthropicMessagesAreTranslatedFromEcho() {
    var message =
        anthropic
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model("echo")
                    .maxTokens(100)
                    .addUserMessage("bonjour")
                    .build());
    assertThat(message.content().getFirst().asText().text()).isEqualTo("Echo: bonjour");
    assertThat(message.usage().outputTokens()).isPositive();
  }

  @Test
  void anthropicStreamIsTranslatedEventByEvent() {
    try (var stream =
        anthropic
            .messages()
            .createStreaming(
                MessageCreateParams.builder()
                    .model("echo")
                    .maxTokens(100)
                    .addUserMessage("stream")
                    .build())) {
      List<RawMessageStreamEvent> events = stream.stream().toList();
      assertThat(events.getFirst().isMessageStart()).isTrue();
      assertThat(events.getLast().isMessageStop()).isTrue();
      String text =
          events.stream()
              .filter(RawMessageStreamEvent::isContentBlockDelta)
              .map(e -> e.asContentBlockDelta().delta())
              .filter(d -> d.isText())
              .map(d -> d.asText().text())
              .collect(Collectors.joining());
      assertThat(text).isEqualTo("Echo: stream");
    }
  }

  @Test
  void embeddingsComeBackAsVectors() {
    var response =
        openai
            .embeddings()
            .create(EmbeddingCreateParams.builder().model("echo").input("some text").build());
    assertThat(response.data().getFirst().embedding()).isNotEmpty();
  }

  @Test
  void legacyCompletionsAreServed() {
    var completion =
        openai
            .completions()
            .create(
                com.openai.models.completions.CompletionCreateParams.builder()
                    .model("echo")
                    .prompt("once upon a time")
                    .build());
    assertThat(completion.choices().getFirst().text()).contains("once upon a time");
  }

  @Test
  void anthropicCountTokensIsAnsweredLocallyForNonAnthropicTargets() {
    var count =
        anthropic
            .messages()
            .countTokens(
                com.anthropic.models.messages.MessageCountTokensParams.builder()
                    .model("echo")
                    .addUserMessage("count these few words please")
                    .build());
    assertThat(count.inputTokens()).isBetween(5L, 20L);
  }

  @Test
  void anthropicModelsListUsesAnthropicsFormat() {
    var page = anthropic.models().list();
    assertThat(page.data()).extracting(m -> m.id()).containsExactly("echo");
  }

  @Test
  void modelsListShowsRoutesThisKeyMayUse() {
    var models = openai.models().list();
    assertThat(models.data()).extracting(m -> m.id()).containsExactly("echo");
  }

  @Test
  void unknownKeyIsUnauthorized() {
    OpenAIClient wrong =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
            .apiKey("pc-not-a-key")
            .maxRetries(0)
            .build();
    assertThatThrownBy(
            () ->
                wrong
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("echo")
                            .addUserMessage("x")
                            .build()))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void unknownModelIsNotFound() {
    assertThatThrownBy(
            () ->
                openai
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("gpt-7")
                            .addUserMessage("x")
                            .build()))
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> {
              assertThat(e.code()).contains("model_not_found");
              assertThat(e.getMessage()).contains("gpt-7");
            });
  }
}
