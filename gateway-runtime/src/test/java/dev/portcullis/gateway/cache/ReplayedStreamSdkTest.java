package dev.portcullis.gateway.cache;

import static dev.portcullis.gateway.cache.CacheKeyTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.gateway.sse.SseEvent;
import dev.portcullis.gateway.sse.SseWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI and Anthropic Java SDKs accept a replayed stream, and an answer assembled
 * from a stream, as if the provider had sent them (over real HTTP on loopback).
 */
class ReplayedStreamSdkTest {
  private HttpServer server;
  private final AtomicReference<byte[]> body = new AtomicReference<>();
  private final AtomicReference<String> contentType = new AtomicReference<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().set("content-type", contentType.get());
          byte[] bytes = body.get();
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void serveStream(List<SseEvent> events) throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (SseEvent event : events) {
      wire.write(SseWriter.encode(event));
    }
    body.set(wire.toByteArray());
    contentType.set("text/event-stream");
  }

  private void serveJson(String json) {
    body.set(json.getBytes(StandardCharsets.UTF_8));
    contentType.set("application/json");
  }

  private OpenAIClient openai() {
    return OpenAIOkHttpClient.builder().baseUrl(base() + "/v1").apiKey("k").maxRetries(0).build();
  }

  private AnthropicClient anthropic() {
    return AnthropicOkHttpClient.builder().baseUrl(base()).apiKey("k").maxRetries(0).build();
  }

  @Test
  void theOpenAiSdkAccumulatesAReplayedChatStream() throws IOException {
    serveStream(
        StreamReplayer.replay(
            CachedOperation.OPENAI_CHAT_COMPLETIONS,
            json(StreamReplayAndAssemblyTest.CHAT_ANSWER),
            true));
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (var stream =
        openai()
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4o")
                    .addUserMessage("Capital of France?")
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ChatCompletion completion = accumulator.chatCompletion();
    var message = completion.choices().getFirst().message();
    assertThat(message.content())
        .contains("The capital of France is Paris. 🇫🇷 It is on the Seine.");
    assertThat(message.toolCalls().orElseThrow().getFirst().asFunction().function().arguments())
        .isEqualTo("{\"q\":\"Paris population\"}");
    assertThat(completion.choices().getFirst().finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(38);
  }

  @Test
  void theAnthropicSdkAccumulatesAReplayedMessageStream() throws IOException {
    serveStream(
        StreamReplayer.replay(
            CachedOperation.ANTHROPIC_MESSAGES,
            json(StreamReplayAndAssemblyTest.MESSAGE_ANSWER),
            false));
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (var stream =
        anthropic()
            .messages()
            .createStreaming(
                MessageCreateParams.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(100)
                    .addUserMessage("Capital of France?")
                    .build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Message message = accumulator.message();
    assertThat(message.content()).hasSize(3);
    assertThat(message.content().get(0).asThinking().signature()).isEqualTo("sig-abc");
    assertThat(message.content().get(1).asText().text())
        .isEqualTo("The capital of France is Paris.");
    assertThat(message.content().get(2).asToolUse().name()).isEqualTo("lookup");
    assertThat(message.content().get(2).asToolUse()._input().toString()).contains("Paris");
    assertThat(message.usage().inputTokens()).isEqualTo(30);
    assertThat(message.usage().outputTokens()).isEqualTo(25);
    assertThat(message.stopReason().orElseThrow().asString()).isEqualTo("tool_use");
  }

  @Test
  void theSdksParseAnAnswerAssembledFromAStream() throws IOException {
    var chatEvents =
        StreamReplayer.replay(
            CachedOperation.OPENAI_CHAT_COMPLETIONS,
            json(StreamReplayAndAssemblyTest.CHAT_ANSWER),
            true);
    serveJson(
        StreamAssembler.assemble(CachedOperation.OPENAI_CHAT_COMPLETIONS, chatEvents)
            .orElseThrow()
            .toString());
    ChatCompletion completion =
        openai()
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4o")
                    .addUserMessage("Capital of France?")
                    .build());
    assertThat(completion.choices().getFirst().message().content()).isPresent();

    var messageEvents =
        StreamReplayer.replay(
            CachedOperation.ANTHROPIC_MESSAGES,
            json(StreamReplayAndAssemblyTest.MESSAGE_ANSWER),
            false);
    serveJson(
        StreamAssembler.assemble(CachedOperation.ANTHROPIC_MESSAGES, messageEvents)
            .orElseThrow()
            .toString());
    Message message =
        anthropic()
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(100)
                    .addUserMessage("Capital of France?")
                    .build());
    assertThat(message.content().get(1).asText().text())
        .isEqualTo("The capital of France is Paris.");
  }
}
