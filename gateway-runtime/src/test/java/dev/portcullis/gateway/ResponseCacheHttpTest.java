package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The response cache on the request path (issue 15): the official SDKs in front of a gateway whose
 * routes have {@code cache.mode: Exact}, and the fake upstream whose request count proves a hit
 * never reached it.
 */
class ResponseCacheHttpTest {
  static final String KEY_A = "pc-test-cache-team-a-0123456789";
  static final String KEY_B = "pc-test-cache-team-b-0123456789";
  static final String KEY_LIMITED = "pc-test-cache-limited-0123456789";
  static final String KEY_TOKENS = "pc-test-cache-tokens-0123456789";
  static final String REPLY = "This is a fake reply from the Portcullis test upstream.";
  static final CacheConfig EXACT =
      new CacheConfig(CacheConfig.CacheMode.EXACT, Duration.ofMinutes(10), 0);

  static FakeUpstream fake;
  static Gateway gateway;
  static OpenAIClient openaiA;
  static OpenAIClient openaiB;
  static OpenAIClient openaiLimited;
  static AnthropicClient anthropicA;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    gateway.apply(
        TestSnapshots.builder()
            .route(
                "team-a",
                "cached",
                "cached",
                Mode.SINGLE,
                Set.of("team-b"),
                TestSnapshots.provider("openai", "openai", "up-model", fake.baseUrl() + "/v1"))
            .cache("team-a", "cached", EXACT)
            .route(
                "team-a",
                "cached-claude",
                "cached-claude",
                Mode.SINGLE,
                TestSnapshots.provider("anthropic", "anthropic", "up-model", fake.baseUrl()))
            .cache("team-a", "cached-claude", EXACT)
            .route(
                "team-a",
                "uncached",
                "uncached",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "up-model", fake.baseUrl() + "/v1"))
            .key("team-a", "app", KEY_A)
            .key("team-b", "app", KEY_B)
            .key("team-a", "limited", KEY_LIMITED, new KeyConfig.Limits(3, null, null), null, true)
            .key(
                "team-a",
                "tokens",
                KEY_TOKENS,
                new KeyConfig.Limits(null, 1_000_000, null),
                null,
                true)
            .build());
    openaiA = openai(KEY_A);
    openaiB = openai(KEY_B);
    openaiLimited = openai(KEY_LIMITED);
    anthropicA = anthropic(KEY_A, gateway);
  }

  static OpenAIClient openai(String key) {
    return openai(key, gateway);
  }

  static OpenAIClient openai(String key, Gateway gateway) {
    return OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
        .apiKey(key)
        .maxRetries(0)
        .build();
  }

  static AnthropicClient anthropic(String key, Gateway gateway) {
    return AnthropicOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + gateway.port())
        .apiKey(key)
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
    fake.setDefaultBehaviour("");
  }

  /** A question no other test asks, so entries of other tests never answer it. */
  static String question() {
    return "question " + UUID.randomUUID();
  }

  static ChatCompletionCreateParams chat(String model, String question) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(question).build();
  }

  static HttpResponseFor<ChatCompletion> ask(OpenAIClient client, ChatCompletionCreateParams p) {
    return client.chat().completions().withRawResponse().create(p);
  }

  static String header(HttpResponseFor<?> response, String name) {
    List<String> values = response.headers().values(name);
    return values.isEmpty() ? null : values.getFirst();
  }

  @Test
  void secondIdenticalRequestIsAHitThatNeverReachesTheUpstream() {
    ChatCompletionCreateParams params = chat("cached", question());
    HttpResponseFor<ChatCompletion> first = ask(openaiA, params);
    assertThat(header(first, "x-portcullis-cache")).isEqualTo("MISS");
    assertThat(first.parse().choices().getFirst().message().content()).hasValue(REPLY);

    HttpResponseFor<ChatCompletion> second = ask(openaiA, params);
    assertThat(header(second, "x-portcullis-cache")).isEqualTo("HIT");
    assertThat(header(second, "x-portcullis-cost-usd")).isEqualTo("0");
    assertThat(Long.parseLong(header(second, "age"))).isBetween(0L, 5L);
    assertThat(second.parse().choices().getFirst().message().content()).hasValue(REPLY);
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void anthropicMessagesAreCachedInAnthropicsFormat() {
    MessageCreateParams params =
        MessageCreateParams.builder()
            .model("cached-claude")
            .maxTokens(100)
            .addUserMessage(question())
            .build();
    var first = anthropicA.messages().withRawResponse().create(params);
    assertThat(first.headers().values("x-portcullis-cache")).containsExactly("MISS");
    var second = anthropicA.messages().withRawResponse().create(params);
    assertThat(second.headers().values("x-portcullis-cache")).containsExactly("HIT");
    Message message = second.parse();
    assertThat(message.content().getFirst().asText().text()).isEqualTo(REPLY);
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void streamRequestIsAnsweredFromACachedWholeAnswer() {
    String question = question();
    ask(openaiA, chat("cached", question)).parse();
    try (var raw =
        openaiA.chat().completions().withRawResponse().createStreaming(chat("cached", question))) {
      assertThat(header(raw, "x-portcullis-cache")).isEqualTo("HIT");
      List<ChatCompletionChunk> chunks = raw.parse().stream().toList();
      String text =
          chunks.stream()
              .flatMap(c -> c.choices().stream())
              .map(c -> c.delta().content().orElse(""))
              .collect(Collectors.joining());
      assertThat(text).isEqualTo(REPLY);
    }
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void wholeRequestIsAnsweredFromACachedStream() {
    MessageCreateParams params =
        MessageCreateParams.builder()
            .model("cached-claude")
            .maxTokens(100)
            .addUserMessage(question())
            .build();
    try (var stream = anthropicA.messages().createStreaming(params)) {
      List<RawMessageStreamEvent> events = stream.stream().toList();
      assertThat(events.getLast().isMessageStop()).isTrue();
    }
    var whole = anthropicA.messages().withRawResponse().create(params);
    assertThat(whole.headers().values("x-portcullis-cache")).containsExactly("HIT");
    assertThat(whole.parse().content().getFirst().asText().text()).isEqualTo(REPLY);
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void bypassNeitherReadsNorStores() {
    ChatCompletionCreateParams bypass =
        chat("cached", question()).toBuilder()
            .putAdditionalHeader("x-portcullis-cache", "bypass")
            .build();
    assertThat(header(ask(openaiA, bypass), "x-portcullis-cache")).isEqualTo("BYPASS");
    assertThat(header(ask(openaiA, bypass), "x-portcullis-cache")).isEqualTo("BYPASS");
    ChatCompletionCreateParams plain =
        bypass.toBuilder().removeAdditionalHeaders("x-portcullis-cache").build();
    assertThat(header(ask(openaiA, plain), "x-portcullis-cache")).isEqualTo("MISS");
    assertThat(fake.requestCount()).isEqualTo(3);
  }

  @Test
  void refreshSkipsTheReadAndStoresTheNewAnswer() {
    ChatCompletionCreateParams plain = chat("cached", question());
    ask(openaiA, plain).parse();
    ChatCompletionCreateParams refresh =
        plain.toBuilder().putAdditionalHeader("x-portcullis-cache", "refresh").build();
    assertThat(header(ask(openaiA, refresh), "x-portcullis-cache")).isEqualTo("REFRESH");
    ChatCompletionCreateParams noCache =
        plain.toBuilder().putAdditionalHeader("cache-control", "no-cache").build();
    assertThat(header(ask(openaiA, noCache), "x-portcullis-cache")).isEqualTo("REFRESH");
    assertThat(header(ask(openaiA, plain), "x-portcullis-cache")).isEqualTo("HIT");
    assertThat(fake.requestCount()).isEqualTo(3);
  }

  @Test
  void noStoreMissesAndLeavesNothingBehind() {
    ChatCompletionCreateParams noStore =
        chat("cached", question()).toBuilder()
            .putAdditionalHeader("cache-control", "no-store")
            .build();
    assertThat(header(ask(openaiA, noStore), "x-portcullis-cache")).isEqualTo("MISS");
    ChatCompletionCreateParams plain =
        noStore.toBuilder().removeAdditionalHeaders("cache-control").build();
    assertThat(header(ask(openaiA, plain), "x-portcullis-cache")).isEqualTo("MISS");
    assertThat(fake.requestCount()).isEqualTo(2);
  }

  @Test
  void namespacesNeverShareAnEntryEitherWay() {
    ChatCompletionCreateParams params = chat("cached", question());
    assertThat(header(ask(openaiA, params), "x-portcullis-cache")).isEqualTo("MISS");
    assertThat(header(ask(openaiB, params), "x-portcullis-cache")).isEqualTo("MISS");
    assertThat(header(ask(openaiA, params), "x-portcullis-cache")).isEqualTo("HIT");
    assertThat(header(ask(openaiB, params), "x-portcullis-cache")).isEqualTo("HIT");
    assertThat(fake.requestCount()).isEqualTo(2);

    ChatCompletionCreateParams other = chat("cached", question());
    assertThat(header(ask(openaiB, other), "x-portcullis-cache")).isEqualTo("MISS");
    assertThat(header(ask(openaiA, other), "x-portcullis-cache")).isEqualTo("MISS");
    assertThat(fake.requestCount()).isEqualTo(4);
  }

  @Test
  void upstreamErrorsAreNotStored() {
    ChatCompletionCreateParams params = chat("cached", question());
    fake.setDefaultBehaviour("status=500");
    assertThatThrownBy(() -> openaiA.chat().completions().create(params))
        .isInstanceOf(InternalServerException.class);
    fake.setDefaultBehaviour("");
    assertThat(header(ask(openaiA, params), "x-portcullis-cache")).isEqualTo("MISS");
    assertThat(fake.requestCount()).isEqualTo(2);
  }

  @Test
  void routesWithoutACacheSayNothingAboutIt() {
    HttpResponseFor<ChatCompletion> response = ask(openaiA, chat("uncached", question()));
    assertThat(header(response, "x-portcullis-cache")).isNull();
  }

  @Test
  void aHitCountsAgainstTheRequestRate() {
    ChatCompletionCreateParams params = chat("cached", question());
    ask(openaiLimited, params).parse(); // miss
    ask(openaiLimited, params).parse(); // hit
    assertThat(header(ask(openaiLimited, params), "x-portcullis-cache")).isEqualTo("HIT");
    assertThatThrownBy(() -> openaiLimited.chat().completions().create(params))
        .isInstanceOf(RateLimitException.class);
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void aHitSpendsNoTokens() {
    OpenAIClient tokens = openai(KEY_TOKENS);
    ChatCompletionCreateParams params = chat("cached", question());
    ask(tokens, params).parse(); // miss: charged what the upstream reported
    String afterFirstHit = header(ask(tokens, params), "x-ratelimit-remaining-tokens");
    HttpResponseFor<ChatCompletion> secondHit = ask(tokens, params);
    assertThat(header(secondHit, "x-portcullis-cache")).isEqualTo("HIT");
    assertThat(header(secondHit, "x-ratelimit-remaining-tokens")).isEqualTo(afterFirstHit);
    assertThat(Long.parseLong(afterFirstHit)).isLessThan(1_000_000);
  }

  @Test
  void anUnknownCacheDirectiveIsABadRequestInTheCallersFormat() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> openAi =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + KEY_A)
                .header("content-type", "application/json")
                .header("x-portcullis-cache", "sometimes")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"cached\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(openAi.statusCode()).isEqualTo(400);
    assertThat(openAi.body()).contains("\"invalid_request_error\"").contains("x-portcullis-cache");
    HttpResponse<String> anthropic =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/v1/messages"))
                .header("x-api-key", KEY_A)
                .header("content-type", "application/json")
                .header("x-portcullis-cache", "sometimes")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"cached-claude\",\"max_tokens\":10,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anthropic.statusCode()).isEqualTo(400);
    assertThat(anthropic.body())
        .startsWith("{\"type\":\"error\"")
        .contains("invalid_request_error");
    assertThat(fake.requestCount()).isZero();
  }
}
