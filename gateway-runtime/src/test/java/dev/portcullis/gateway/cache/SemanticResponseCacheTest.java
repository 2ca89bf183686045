package dev.portcullis.gateway.cache;

import static dev.portcullis.gateway.cache.CacheKeyTest.json;
import static dev.portcullis.gateway.cache.ResponseCacheTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.redis.RedisEndpoint;
import dev.portcullis.gateway.testing.LocalRedis;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** Semantic routes with the built-in model: by meaning for the last message, exact for the rest. */
class SemanticResponseCacheTest {
  static final CachePolicy SEMANTIC =
      CachePolicy.semantic(Duration.ofMinutes(10), SemanticCache.DEFAULT_THRESHOLD);
  static final CacheSubject TEAM_A =
      CacheSubject.namespaceScope("team-a", "team-a/chat", CachedOperation.ANTHROPIC_MESSAGES);

  private final String prefix = LocalRedis.uniquePrefix();
  private UnifiedJedis redis;

  @AfterEach
  void clean() {
    if (redis != null) {
      redis.close();
      LocalRedis.deleteKeys(LocalRedis.SHARED_URL, prefix);
    }
  }

  static String request(String system, String question) {
    return """
        {"model":"claude-sonnet-4-5","max_tokens":100,"system":"%s",
         "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},
                     {"role":"user","content":[{"type":"text","text":"%s"}]}]}
        """
        .formatted(system, question);
  }

  private static ResponseCache inProcess() {
    return new ResponseCache(
        new InProcessCacheStore(1 << 20, 1 << 16),
        new SemanticCache(
            MiniLmSentenceEmbedder.shared(), new VectorIndex(100, 100, Clock.systemUTC()), null),
        Clock.systemUTC());
  }

  private static void store(ResponseCache cache, String request) {
    CacheLookup miss = cache.lookup(TEAM_A, json(request), SEMANTIC, CacheDirective.DEFAULT);
    assertThat(miss.status()).isEqualTo(CacheStatus.MISS);
    assertThat(
            cache.storeAnswer(
                miss,
                CachedOperation.ANTHROPIC_MESSAGES,
                200,
                bytes(StreamReplayAndAssemblyTest.MESSAGE_ANSWER),
                new BigDecimal("0.01")))
        .isTrue();
  }

  @Test
  void aRewordedQuestionIsASemanticHit() {
    ResponseCache cache = inProcess();
    store(cache, request("Be brief.", "What is the capital of France?"));
    CacheLookup reworded =
        cache.lookup(
            TEAM_A,
            json(request("Be brief.", "What's the capital city of France?")),
            SEMANTIC,
            CacheDirective.DEFAULT);
    assertThat(reworded.status()).isEqualTo(CacheStatus.SEMANTIC_HIT);
    assertThat(reworded.answer()).isPresent();
    assertThat(reworded.write()).as("a semantic hit is not stored again").isFalse();
  }

  @Test
  void theCapitalOfFranceNeverAnswersTheCapitalOfGermany() {
    ResponseCache cache = inProcess();
    store(cache, request("Be brief.", "What is the capital of France?"));
    assertThat(
            cache
                .lookup(
                    TEAM_A,
                    json(request("Be brief.", "What is the capital of Germany?")),
                    SEMANTIC,
                    CacheDirective.DEFAULT)
                .status())
        .isEqualTo(CacheStatus.MISS);
  }

  @Test
  void everythingButTheLastUserMessageMustMatchExactly() {
    ResponseCache cache = inProcess();
    store(cache, request("Be brief.", "What is the capital of France?"));
    assertThat(
            cache
                .lookup(
                    TEAM_A,
                    json(request("Answer in German.", "What is the capital of France?")),
                    SEMANTIC,
                    CacheDirective.DEFAULT)
                .status())
        .isEqualTo(CacheStatus.MISS);
    CacheSubject teamB =
        CacheSubject.namespaceScope("team-b", "team-a/chat", CachedOperation.ANTHROPIC_MESSAGES);
    assertThat(
            cache
                .lookup(
                    teamB,
                    json(request("Be brief.", "What's the capital city of France?")),
                    SEMANTIC,
                    CacheDirective.DEFAULT)
                .status())
        .isEqualTo(CacheStatus.MISS);
  }

  @Test
  void twoGatewaysSharingRedisShareTheSemanticCache() {
    LocalRedis.assumeShared();
    redis = RedisEndpoint.parse(LocalRedis.SHARED_URL).connect(Duration.ofSeconds(2));
    ResponseCache first = gateway();
    ResponseCache second = gateway();

    store(first, request("Be brief.", "What is the capital of France?"));

    CacheLookup exact =
        second.lookup(
            TEAM_A,
            json(request("Be brief.", "What is the capital of France?")),
            SEMANTIC,
            CacheDirective.DEFAULT);
    assertThat(exact.status()).isEqualTo(CacheStatus.HIT);
    CacheLookup reworded =
        second.lookup(
            TEAM_A,
            json(request("Be brief.", "What's the capital city of France?")),
            SEMANTIC,
            CacheDirective.DEFAULT);
    assertThat(reworded.status()).isEqualTo(CacheStatus.SEMANTIC_HIT);
    assertThat(reworded.answer().orElseThrow().costUsd()).isEqualByComparingTo("0.01");
  }

  private ResponseCache gateway() {
    Clock clock = Clock.systemUTC();
    RedisCacheStore store =
        new RedisCacheStore(redis, prefix, 1 << 20, Duration.ofSeconds(1), clock);
    return new ResponseCache(
        store,
        new SemanticCache(
            MiniLmSentenceEmbedder.shared(),
            new VectorIndex(100, 100, clock),
            new SharedVectorLog(redis, prefix, 100, store, clock)),
        clock);
  }
}
