package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.capability.Capabilities;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Semantic caching on the request path (issue 15): the official SDKs in front of a gateway whose
 * routes have {@code cache.mode: Semantic} with the built-in embedding model, and the fake upstream
 * whose request count proves a hit never reached it. Each test asks under its own system prompt, so
 * the context keys (everything but the last user message) of different tests never meet.
 */
class SemanticCacheHttpTest {
  static final String KEY_A = "pc-test-semantic-team-a-0123456789";
  static final String KEY_B = "pc-test-semantic-team-b-0123456789";
  static final String REPLY = ResponseCacheHttpTest.REPLY;
  static final CacheConfig SEMANTIC =
      new CacheConfig(CacheConfig.CacheMode.SEMANTIC, Duration.ofMinutes(10), 0.88);

  static FakeUpstream fake;
  static Gateway gateway;
  static OpenAIClient openaiA;
  static OpenAIClient openaiB;
  static AnthropicClient anthropicA;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    gateway.apply(
        TestSnapshots.builder()
            .route(
                "team-a",
                "semantic",
                "semantic",
                Mode.SINGLE,
                Set.of("team-b"),
                TestSnapshots.withPricing(
                    TestSnapshots.provider("openai", "openai", "up-model", fake.baseUrl() + "/v1"),
                    "2.50",
                    "10.00"))
            .cache("team-a", "semantic", SEMANTIC)
            .route(
                "team-a",
                "semantic-claude",
                "semantic-claude",
                Mode.SINGLE,
                TestSnapshots.provider("anthropic", "anthropic", "up-model", fake.baseUrl()))
            .cache("team-a", "semantic-claude", SEMANTIC)
            .key("team-a", "app", KEY_A)
            .key("team-b", "app", KEY_B)
            .build());
    openaiA = openai(KEY_A);
    openaiB = openai(KEY_B);
    anthropicA = ResponseCacheHttpTest.anthropic(KEY_A, gateway);
  }

  static OpenAIClient openai(String key) {
    return ResponseCacheHttpTest.openai(key, gateway);
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

  /** A system prompt no other test uses: a context of its own. */
  static String context() {
    return "You answer briefly. (test " + UUID.randomUUID() + ")";
  }

  static ChatCompletionCreateParams chat(String system, String question) {
    return ChatCompletionCreateParams.builder()
        .model("semantic")
        .addSystemMessage(system)
        .addUserMessage(question)
        .build();
  }

  static String ask(OpenAIClient client, String system, String question) {
    HttpResponseFor<ChatCompletion> response =
        client.chat().completions().withRawResponse().create(chat(system, question));
    assertThat(response.parse().choices().getFirst().message().content()).hasValue(REPLY);
    return header(response, "x-portcullis-cache");
  }

  static String header(HttpResponseFor<?> response, String name) {
    List<String> values = response.headers().values(name);
    return values.isEmpty() ? null : values.getFirst();
  }

  @Test
  void theBuildAnnouncesSemanticCaching() {
    assertThat(Capabilities.ofThisBuild().cacheModes())
        .contains(CacheConfig.CacheMode.EXACT, CacheConfig.CacheMode.SEMANTIC);
    // What the operator is told: nothing in a snapshot with semantic routes goes unenforced.
    assertThat(Capabilities.ofThisBuild().notEnforced(gateway.appliedSnapshot())).isEmpty();
  }

  @Test
  void aParaphraseIsASemanticHitWithoutAnUpstreamCall() {
    String system = context();
    assertThat(ask(openaiA, system, "What is the capital of France?")).isEqualTo("MISS");

    HttpResponseFor<ChatCompletion> reworded =
        openaiA
            .chat()
            .completions()
            .withRawResponse()
            .create(chat(system, "What's the capital city of France?"));
    assertThat(header(reworded, "x-portcullis-cache")).isEqualTo("SEMANTIC_HIT");
    assertThat(header(reworded, "x-portcullis-cost-usd")).isEqualTo("0");
    assertThat(Long.parseLong(header(reworded, "age"))).isBetween(0L, 5L);
    assertThat(reworded.parse().choices().getFirst().message().content()).hasValue(REPLY);
    // The same question again is an exact hit, found before any embedding.
    assertThat(ask(openaiA, system, "What is the capital of France?")).isEqualTo("HIT");
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void nearMissesGoUpstream() {
    String system = context();
    assertThat(ask(openaiA, system, "What is 7 times 8?")).isEqualTo("MISS");
    assertThat(ask(openaiA, system, "What is 7 times 9?")).as("another number").isEqualTo("MISS");
    assertThat(ask(openaiA, system, "Should I take the job offer?")).isEqualTo("MISS");
    assertThat(ask(openaiA, system, "Should I not take the job offer?"))
        .as("a negation")
        .isEqualTo("MISS");
    assertThat(ask(openaiA, system, "What is the capital of France?")).isEqualTo("MISS");
    assertThat(ask(openaiA, system, "What is the capital of Germany?"))
        .as("another country")
        .isEqualTo("MISS");
    assertThat(fake.requestCount()).isEqualTo(6);
  }

  @Test
  void anotherSystemPromptNeverMeetsTheEntry() {
    assertThat(ask(openaiA, context(), "How do I reverse a list in Python?")).isEqualTo("MISS");
    assertThat(ask(openaiA, context(), "How can I reverse a list in Python?")).isEqualTo("MISS");
    assertThat(fake.requestCount()).isEqualTo(2);
  }

  @Test
  void namespacesNeverShareEitherWay() {
    String system = context();
    assertThat(ask(openaiA, system, "How do I reverse a list in Python?")).isEqualTo("MISS");
    assertThat(ask(openaiB, system, "How can I reverse a list in Python?"))
        .as("team-b never sees team-a's entry")
        .isEqualTo("MISS");
    assertThat(ask(openaiB, system, "How do I reverse a list in Python?"))
        .as("team-b's own entry (its reworded question)")
        .isEqualTo("SEMANTIC_HIT");
    String other = context();
    assertThat(ask(openaiB, other, "What is the capital of France?")).isEqualTo("MISS");
    assertThat(ask(openaiA, other, "What's the capital city of France?"))
        .as("team-a never sees team-b's entry")
        .isEqualTo("MISS");
    assertThat(ask(openaiA, other, "What is the capital of France?")).isEqualTo("SEMANTIC_HIT");
    assertThat(fake.requestCount()).isEqualTo(4);
  }

  @Test
  void aStreamRequestIsServedFromASemanticHit() {
    String system = context();
    assertThat(ask(openaiA, system, "What is the capital of France?")).isEqualTo("MISS");
    try (var raw =
        openaiA
            .chat()
            .completions()
            .withRawResponse()
            .createStreaming(chat(system, "What's the capital city of France?"))) {
      assertThat(header(raw, "x-portcullis-cache")).isEqualTo("SEMANTIC_HIT");
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

  static MessageCreateParams claude(String system, String question) {
    return MessageCreateParams.builder()
        .model("semantic-claude")
        .maxTokens(100)
        .system(system)
        .addUserMessage(question)
        .build();
  }

  @Test
  void anthropicCallersGetSemanticHitsInAnthropicsFormatStreamedToo() {
    String system = context();
    MessageCreateParams first = claude(system, "Explain what a binary search tree is.");
    var miss = anthropicA.messages().withRawResponse().create(first);
    assertThat(miss.headers().values("x-portcullis-cache")).containsExactly("MISS");
    MessageCreateParams reworded = claude(system, "Can you explain what a binary search tree is?");
    var hit = anthropicA.messages().withRawResponse().create(reworded);
    assertThat(hit.headers().values("x-portcullis-cache")).containsExactly("SEMANTIC_HIT");
    assertThat(hit.parse().content().getFirst().asText().text()).isEqualTo(REPLY);
    try (var stream = anthropicA.messages().withRawResponse().createStreaming(reworded)) {
      assertThat(stream.headers().values("x-portcullis-cache")).containsExactly("SEMANTIC_HIT");
      String text =
          stream.parse().stream()
              .filter(RawMessageStreamEvent::isContentBlockDelta)
              .map(e -> e.asContentBlockDelta().delta())
              .filter(d -> d.isText())
              .map(d -> d.asText().text())
              .collect(Collectors.joining());
      assertThat(text).isEqualTo(REPLY);
    }
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void hitsAndWhatTheySavedAreInTheMetrics() throws Exception {
    double savedBefore = sum(metrics(), "portcullis_cache_savings_usd_total");
    double semanticHitsBefore =
        sum(metrics(), "portcullis_cache_lookups_total{mode=\"semantic\",result=\"semantic_hit\"");
    String system = context();
    assertThat(ask(openaiA, system, "What is the chemical formula for water?")).isEqualTo("MISS");
    assertThat(ask(openaiA, system, "What's the chemical formula of water?"))
        .isEqualTo("SEMANTIC_HIT");
    String metrics = metrics();
    assertThat(
            sum(
                metrics,
                "portcullis_cache_lookups_total{mode=\"semantic\",result=\"semantic_hit\""))
        .isEqualTo(semanticHitsBefore + 1);
    assertThat(sum(metrics, "portcullis_cache_lookups_total{mode=\"semantic\",result=\"miss\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(sum(metrics, "portcullis_cache_stores_total")).isGreaterThanOrEqualTo(1);
    assertThat(sum(metrics, "portcullis_cache_savings_usd_total"))
        .as("the stored answer's cost, saved")
        .isGreaterThan(savedBefore);
    assertThat(sum(metrics, "portcullis_cache_saved_tokens_total")).isGreaterThan(0);
    assertThat(metrics).contains("portcullis_cache_size_bytes");
    assertThat(metrics)
        .doesNotContain(KEY_A)
        .doesNotContain("chemical formula")
        .as("labels only from configuration");
  }

  static String metrics() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The sum of the samples whose line starts with {@code prefix} (a name, maybe with labels). */
  static double sum(String metrics, String prefix) {
    double total = 0;
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(prefix) + "[^\\n]*? ([0-9.eE+-]+)$")
            .matcher(metrics);
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }
}
