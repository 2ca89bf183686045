package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.TestSnapshots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official SDKs raise their own typed errors for what the gateway answers. */
class SdkTypedErrorsTest {
  static final String KEY = "pc-test-sdk-errors-0123456789";
  static FakeUpstream fake;
  static Gateway gateway;
  static OpenAIClient openai;
  static AnthropicClient anthropic;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    String v1 = fake.baseUrl() + "/v1";
    gateway.apply(
        TestSnapshots.builder()
            .key("team-a", "app", KEY)
            .route(
                "team-a",
                "busy",
                "busy",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m;status=429", v1))
            .route(
                "team-a",
                "busy-anthropic",
                "busy-anthropic",
                Mode.SINGLE,
                TestSnapshots.provider("anthropic", "anthropic", "m;status=429", fake.baseUrl()))
            .route(
                "team-a",
                "picky",
                "picky",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m;status=400", v1))
            .route(
                "team-a",
                "down",
                "down",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m;status=500", v1))
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
    fake.close();
  }

  static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
  }

  static MessageCreateParams message(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(10).addUserMessage("hi").build();
  }

  @Test
  void openAiRateLimit() {
    assertThatThrownBy(() -> openai.chat().completions().create(chat("busy")))
        .isInstanceOf(com.openai.errors.RateLimitException.class);
  }

  @Test
  void openAiRateLimitFromAnAnthropicTarget() {
    assertThatThrownBy(() -> openai.chat().completions().create(chat("busy-anthropic")))
        .isInstanceOf(com.openai.errors.RateLimitException.class);
  }

  @Test
  void anthropicRateLimitFromAnOpenAiTarget() {
    assertThatThrownBy(() -> anthropic.messages().create(message("busy")))
        .isInstanceOf(com.anthropic.errors.RateLimitException.class);
  }

  @Test
  void openAiBadRequest() {
    assertThatThrownBy(() -> openai.chat().completions().create(chat("picky")))
        .isInstanceOf(com.openai.errors.BadRequestException.class);
  }

  @Test
  void anthropicBadRequest() {
    assertThatThrownBy(() -> anthropic.messages().create(message("picky")))
        .isInstanceOf(com.anthropic.errors.BadRequestException.class);
  }

  @Test
  void openAiServerError() {
    assertThatThrownBy(() -> openai.chat().completions().create(chat("down")))
        .isInstanceOf(com.openai.errors.InternalServerException.class);
  }

  @Test
  void anthropicAuthentication() {
    AnthropicClient wrong =
        AnthropicOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gateway.port())
            .apiKey("pc-wrong")
            .maxRetries(0)
            .build();
    assertThatThrownBy(() -> wrong.messages().create(message("busy")))
        .isInstanceOf(com.anthropic.errors.UnauthorizedException.class);
  }

  @Test
  void anthropicNotFound() {
    assertThatThrownBy(() -> anthropic.messages().create(message("no-such-model")))
        .isInstanceOf(com.anthropic.errors.NotFoundException.class);
  }
}
