package dev.portcullis.gateway.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official SDKs accept what the fake sends: their strict validation is the shape check. */
class SdkCompatibilityTest {
  private static FakeUpstream fake;
  private static OpenAIClient openAi;
  private static AnthropicClient anthropic;

  @BeforeAll
  static void start() {
    fake = FakeUpstream.start(0);
    openAi =
        OpenAIOkHttpClient.builder()
            .baseUrl(fake.baseUrl() + "/v1")
            .apiKey("sk-openai-test")
            .maxRetries(0)
            .build();
    anthropic =
        AnthropicOkHttpClient.builder()
            .baseUrl(fake.baseUrl())
            .apiKey("sk-ant-test")
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    openAi.close();
    anthropic.close();
    fake.stop();
  }

  private static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
  }

  @Test
  void openAiSdkReadsAChatCompletion() {
    ChatCompletion completion = openAi.chat().completions().create(chat("gpt-4o")).validate();

    assertThat(completion.model()).isEqualTo("gpt-4o");
    assertThat(completion.choices().get(0).message().content()).hasValue(ReplyPlanner.DEFAULT_TEXT);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(10);
    assertThat(fake.lastRequest().apiKey()).isEqualTo("sk-openai-test");
  }

  @Test
  void openAiSdkReadsAChatStreamWithUsage() {
    ChatCompletionCreateParams params =
        chat("gpt-4o;tokens=5").toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    List<ChatCompletionChunk> chunks;
    try (var stream = openAi.chat().completions().createStreaming(params)) {
      chunks = stream.stream().map(ChatCompletionChunk::validate).toList();
    }

    String text =
        chunks.stream()
            .flatMap(c -> c.choices().stream())
            .flatMap(c -> c.delta().content().stream())
            .reduce("", String::concat);
    assertThat(text).isEqualTo("This is a fake reply");
    assertThat(chunks.getLast().usage().orElseThrow().completionTokens()).isEqualTo(5);
  }

  @Test
  void openAiSdkReadsEmbeddings() {
    CreateEmbeddingResponse response =
        openAi
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-3-small")
                    .input("hello")
                    .dimensions(16)
                    .build())
            .validate();

    assertThat(response.data().get(0).embedding()).hasSize(16);
  }

  @Test
  void openAiSdkSeesAnInjectedRateLimitAsItsRateLimitException() {
    assertThatThrownBy(() -> openAi.chat().completions().create(chat("gpt-4o;status=429")))
        .isInstanceOf(com.openai.errors.RateLimitException.class)
        .hasMessageContaining("injected status 429");
  }

  private static MessageCreateParams message(String model) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(100)
        .addUserMessage("Say hello")
        .build();
  }

  @Test
  void anthropicSdkReadsAMessage() {
    Message message = anthropic.messages().create(message("claude-sonnet-4-5")).validate();

    assertThat(message.model().asString()).isEqualTo("claude-sonnet-4-5");
    assertThat(message.content().get(0).text().orElseThrow().text())
        .isEqualTo(ReplyPlanner.DEFAULT_TEXT);
    assertThat(message.usage().outputTokens()).isEqualTo(10);
    assertThat(fake.lastRequest().apiKey()).isEqualTo("sk-ant-test");
  }

  @Test
  void anthropicSdkReadsAStream() {
    List<RawMessageStreamEvent> events;
    try (StreamResponse<RawMessageStreamEvent> stream =
        anthropic.messages().createStreaming(message("claude-sonnet-4-5;tokens=3"))) {
      events = stream.stream().map(RawMessageStreamEvent::validate).toList();
    }

    String text =
        events.stream()
            .flatMap(e -> e.contentBlockDelta().stream())
            .flatMap(d -> d.delta().text().stream())
            .map(t -> t.text())
            .reduce("", String::concat);
    assertThat(text).isEqualTo("This is a");
    assertThat(events.getLast().isMessageStop()).isTrue();
  }

  @Test
  void anthropicSdkSeesAnInjectedOverloadAsAnError() {
    assertThatThrownBy(() -> anthropic.messages().create(message("claude;status=529")))
        .isInstanceOf(com.anthropic.errors.AnthropicServiceException.class)
        .hasMessageContaining("overloaded_error");
  }
}
