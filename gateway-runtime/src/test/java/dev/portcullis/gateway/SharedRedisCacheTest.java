package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.cache.CacheSettings;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.LocalRedis;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways on the real Redis at 127.0.0.1:6379 share one response cache, exact and semantic.
 */
class SharedRedisCacheTest {
  static final String KEY = "pc-test-shared-cache-0123456789";
  static final String PREFIX = LocalRedis.uniquePrefix();
  static FakeUpstream fake;
  static Gateway first;
  static Gateway second;

  @BeforeAll
  static void start() throws Exception {
    LocalRedis.assumeShared();
    fake = FakeUpstream.start(0);
    Snapshot snapshot =
        TestSnapshots.builder()
            .route(
                "team-a",
                "cached",
                "cached",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "up-model", fake.baseUrl() + "/v1"))
            .cache(
                "team-a",
                "cached",
                new CacheConfig(CacheConfig.CacheMode.EXACT, Duration.ofMinutes(1), 0))
            .route(
                "team-a",
                "semantic",
                "semantic",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "up-model", fake.baseUrl() + "/v1"))
            .cache(
                "team-a",
                "semantic",
                new CacheConfig(CacheConfig.CacheMode.SEMANTIC, Duration.ofMinutes(1), 0.88))
            .key("team-a", "app", KEY)
            .build();
    first = start(snapshot);
    second = start(snapshot);
  }

  static Gateway start(Snapshot snapshot) throws Exception {
    Gateway gateway =
        Gateway.start(
            GatewaySettings.ephemeral()
                .withLimits(
                    GatewaySettings.ephemeral()
                        .limits()
                        .withRedis(LocalRedis.SHARED_URL)
                        .withKeyPrefix(PREFIX + "limits:"))
                .withCache(CacheSettings.DEFAULTS.withKeyPrefix(PREFIX + "cache:")));
    gateway.apply(snapshot);
    return gateway;
  }

  @AfterAll
  static void stop() {
    if (fake == null) {
      return;
    }
    first.close();
    second.close();
    fake.close();
    LocalRedis.deleteKeys(LocalRedis.SHARED_URL, PREFIX);
  }

  @BeforeEach
  void reset() {
    fake.reset();
  }

  static OpenAIClient client(Gateway gateway) {
    return OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
        .apiKey(KEY)
        .maxRetries(0)
        .build();
  }

  @Test
  void anAnswerStoredThroughOneGatewayIsAHitOnTheOther() {
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model("cached")
            .addUserMessage("shared " + UUID.randomUUID())
            .build();
    var miss = client(first).chat().completions().withRawResponse().create(params);
    assertThat(miss.headers().values("x-portcullis-cache")).containsExactly("MISS");
    var hit = client(second).chat().completions().withRawResponse().create(params);
    assertThat(hit.headers().values("x-portcullis-cache")).containsExactly("HIT");
    assertThat(hit.parse().choices().getFirst().message().content())
        .isEqualTo(miss.parse().choices().getFirst().message().content());
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void aQuestionStoredThroughOneGatewayAnswersItsParaphraseOnTheOther() {
    String system = "shared semantic " + UUID.randomUUID();
    var miss =
        client(first)
            .chat()
            .completions()
            .withRawResponse()
            .create(semantic(system, "What is the capital of France?"));
    assertThat(miss.headers().values("x-portcullis-cache")).containsExactly("MISS");
    miss.parse();
    // The second gateway has never seen the question: its vector comes from the shared Redis log.
    var hit =
        client(second)
            .chat()
            .completions()
            .withRawResponse()
            .create(semantic(system, "What's the capital city of France?"));
    assertThat(hit.headers().values("x-portcullis-cache")).containsExactly("SEMANTIC_HIT");
    assertThat(hit.parse().choices().getFirst().message().content())
        .isEqualTo(miss.parse().choices().getFirst().message().content());
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  static ChatCompletionCreateParams semantic(String system, String question) {
    return ChatCompletionCreateParams.builder()
        .model("semantic")
        .addSystemMessage(system)
        .addUserMessage(question)
        .build();
  }
}
