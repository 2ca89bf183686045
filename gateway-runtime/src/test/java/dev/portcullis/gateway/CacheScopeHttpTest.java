package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig.CacheMode;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig.CacheScope;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cache.scope} (API.md "Caching"): with {@code Key} a VirtualKey's entries are its own; by
 * default the keys of one namespace share them. Two keys of one namespace, the OpenAI SDK, and the
 * fake upstream's request count.
 */
class CacheScopeHttpTest {
  static final String KEY_APP = "pc-test-scope-app-0123456789";
  static final String KEY_BATCH = "pc-test-scope-batch-0123456789";

  static FakeUpstream fake;
  static Gateway gateway;
  static OpenAIClient app;
  static OpenAIClient batch;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    gateway.apply(
        TestSnapshots.builder()
            .route(
                "team-a",
                "shared",
                "shared",
                Mode.SINGLE,
                Set.of(),
                TestSnapshots.provider("openai", "openai", "up-model", fake.baseUrl() + "/v1"))
            .cache("team-a", "shared", new CacheConfig(CacheMode.EXACT, Duration.ofMinutes(10), 0))
            .route(
                "team-a",
                "per-key",
                "per-key",
                Mode.SINGLE,
                Set.of(),
                TestSnapshots.provider("openai", "openai", "up-model", fake.baseUrl() + "/v1"))
            .cache(
                "team-a",
                "per-key",
                new CacheConfig(CacheMode.EXACT, Duration.ofMinutes(10), 0, CacheScope.KEY))
            .route(
                "team-a",
                "per-key-semantic",
                "per-key-semantic",
                Mode.SINGLE,
                Set.of(),
                TestSnapshots.provider("openai", "openai", "up-model", fake.baseUrl() + "/v1"))
            .cache(
                "team-a",
                "per-key-semantic",
                new CacheConfig(CacheMode.SEMANTIC, Duration.ofMinutes(10), 0.88, CacheScope.KEY))
            .key("team-a", "app", KEY_APP)
            .key("team-a", "batch", KEY_BATCH)
            .build());
    app = ResponseCacheHttpTest.openai(KEY_APP, gateway);
    batch = ResponseCacheHttpTest.openai(KEY_BATCH, gateway);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    fake.close();
  }

  @BeforeEach
  void reset() {
    fake.reset();
    fake.setDefaultBehaviour("");
  }

  static String ask(OpenAIClient client, String route, String system, String question) {
    HttpResponseFor<ChatCompletion> response =
        client
            .chat()
            .completions()
            .withRawResponse()
            .create(
                ChatCompletionCreateParams.builder()
                    .model(route)
                    .addSystemMessage(system)
                    .addUserMessage(question)
                    .build());
    response.parse();
    List<String> values = response.headers().values("x-portcullis-cache");
    return values.isEmpty() ? null : values.getFirst();
  }

  static String context() {
    return "test " + UUID.randomUUID();
  }

  @Test
  void byDefaultTheKeysOfANamespaceShareEntries() {
    String system = context();
    assertThat(ask(app, "shared", system, "What is the capital of France?")).isEqualTo("MISS");
    assertThat(ask(batch, "shared", system, "What is the capital of France?")).isEqualTo("HIT");
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void withScopeKeyTwoKeysNeverShareEitherWay() {
    String system = context();
    assertThat(ask(app, "per-key", system, "What is the capital of France?")).isEqualTo("MISS");
    assertThat(ask(batch, "per-key", system, "What is the capital of France?"))
        .as("another key of the same namespace")
        .isEqualTo("MISS");
    assertThat(ask(app, "per-key", system, "What is the capital of France?")).isEqualTo("HIT");
    assertThat(ask(batch, "per-key", system, "What is the capital of France?")).isEqualTo("HIT");
    assertThat(fake.requestCount()).isEqualTo(2);
  }

  @Test
  void withScopeKeySemanticMatchesStayWithTheKey() {
    String system = context();
    assertThat(ask(app, "per-key-semantic", system, "What is the capital of France?"))
        .isEqualTo("MISS");
    assertThat(ask(batch, "per-key-semantic", system, "What's the capital city of France?"))
        .isEqualTo("MISS");
    assertThat(ask(app, "per-key-semantic", system, "What's the capital city of France?"))
        .isEqualTo("SEMANTIC_HIT");
    assertThat(fake.requestCount()).isEqualTo(2);
  }
}
