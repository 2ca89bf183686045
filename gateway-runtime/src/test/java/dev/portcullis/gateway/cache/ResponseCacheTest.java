package dev.portcullis.gateway.cache;

import static dev.portcullis.gateway.cache.CacheKeyTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.sse.SseEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pipeline's view: lookup, then store on a miss. Exact routes here; semantic ones below. */
class ResponseCacheTest {
  static final CachePolicy EXACT = CachePolicy.exact(Duration.ofMinutes(10));
  static final CacheSubject TEAM_A =
      CacheSubject.namespaceScope("team-a", "team-a/chat", CachedOperation.OPENAI_CHAT_COMPLETIONS);
  static final String REQUEST =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]}";

  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final AtomicInteger embeddings = new AtomicInteger();
  private final SemanticCache countingSemantic =
      new SemanticCache(
          text -> {
            embeddings.incrementAndGet();
            return new float[] {1, 0};
          },
          new VectorIndex(100, 100, clock),
          null);
  private final ResponseCache cache =
      new ResponseCache(new InProcessCacheStore(1 << 20, 1 << 16), countingSemantic, clock);

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSemanticRouteWhoseEmbeddingFailsIsCachedExactlyAndCounted() {
    ResponseCache failing =
        new ResponseCache(
            new InProcessCacheStore(1 << 20, 1 << 16),
            new SemanticCache(
                text -> {
                  throw new IllegalStateException("no model here");
                },
                new VectorIndex(100, 100, clock),
                null),
            clock);
    CachePolicy semantic = CachePolicy.semantic(Duration.ofMinutes(10), 0.88);
    CacheLookup miss = failing.lookup(TEAM_A, json(REQUEST), semantic, CacheDirective.DEFAULT);
    assertThat(miss.status()).isEqualTo(CacheStatus.MISS);
    assertThat(miss.write()).isTrue();
    assertThat(
            failing.storeAnswer(
                miss,
                CachedOperation.OPENAI_CHAT_COMPLETIONS,
                200,
                bytes(StreamReplayAndAssemblyTest.CHAT_ANSWER),
                BigDecimal.ONE))
        .isTrue();
    assertThat(failing.lookup(TEAM_A, json(REQUEST), semantic, CacheDirective.DEFAULT).status())
        .isEqualTo(CacheStatus.HIT);

    LookupCounters counted = failing.lookups();
    assertThat(counted.embeddingFailures()).isEqualTo(1);
    assertThat(counted.lookups(LookupCounters.Mode.SEMANTIC, CacheStatus.MISS)).isEqualTo(1);
    assertThat(counted.lookups(LookupCounters.Mode.SEMANTIC, CacheStatus.HIT)).isEqualTo(1);
    assertThat(counted.lookups(LookupCounters.Mode.EXACT, CacheStatus.MISS)).isZero();
    assertThat(failing.store().counters().snapshot().stores()).isEqualTo(1);
  }

  @Test
  void aMissStoresTheAnswerAndTheSameRequestThenHits() {
    CacheLookup miss = cache.lookup(TEAM_A, json(REQUEST), EXACT, CacheDirective.DEFAULT);
    assertThat(miss.status()).isEqualTo(CacheStatus.MISS);
    assertThat(miss.hit()).isFalse();
    byte[] answer = bytes(StreamReplayAndAssemblyTest.CHAT_ANSWER);
    assertThat(
            cache.storeAnswer(
                miss,
                CachedOperation.OPENAI_CHAT_COMPLETIONS,
                200,
                answer,
                new BigDecimal("0.002")))
        .isTrue();

    ObjectNode streamed = json(REQUEST);
    streamed.put("stream", true);
    CacheLookup hit = cache.lookup(TEAM_A, streamed, EXACT, CacheDirective.DEFAULT);
    assertThat(hit.status()).isEqualTo(CacheStatus.HIT);
    CachedAnswer stored = hit.answer().orElseThrow();
    assertThat(stored.body()).isEqualTo(answer);
    assertThat(stored.inputTokens()).isEqualTo(21);
    assertThat(stored.outputTokens()).isEqualTo(17);
    assertThat(stored.costUsd()).isEqualByComparingTo("0.002");
    assertThat(stored.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(embeddings).as("an exact route never embeds").hasValue(0);
  }

  @Test
  void aStoredStreamAnswersANonStreamCallerAndAStoredAnswerReplaysToAStreamCaller()
      throws Exception {
    List<SseEvent> upstream =
        StreamReplayer.replay(
            CachedOperation.OPENAI_CHAT_COMPLETIONS,
            json(StreamReplayAndAssemblyTest.CHAT_ANSWER),
            true);
    ObjectNode streamRequest = json(REQUEST);
    streamRequest.put("stream", true);
    CacheLookup miss = cache.lookup(TEAM_A, streamRequest, EXACT, CacheDirective.DEFAULT);
    assertThat(
            cache.storeStream(
                miss, CachedOperation.OPENAI_CHAT_COMPLETIONS, 200, upstream, BigDecimal.ONE))
        .isTrue();

    CachedAnswer hit =
        cache.lookup(TEAM_A, json(REQUEST), EXACT, CacheDirective.DEFAULT).answer().orElseThrow();
    assertThat(Jackson.MAPPER.readTree(hit.body()))
        .isEqualTo(json(StreamReplayAndAssemblyTest.CHAT_ANSWER));
    List<SseEvent> replay =
        ResponseCache.replay(CachedOperation.OPENAI_CHAT_COMPLETIONS, hit, streamRequest);
    assertThat(replay.getLast().data()).isEqualTo("[DONE]");
    assertThat(replay).noneMatch(e -> e.data().contains("\"usage\""));
  }

  @Test
  void aTruncatedStreamAndARefusalAreNotStored() {
    CacheLookup miss = cache.lookup(TEAM_A, json(REQUEST), EXACT, CacheDirective.DEFAULT);
    List<SseEvent> truncated =
        StreamReplayer.replay(
                CachedOperation.OPENAI_CHAT_COMPLETIONS,
                json(StreamReplayAndAssemblyTest.CHAT_ANSWER),
                false)
            .subList(0, 3);
    assertThat(
            cache.storeStream(
                miss, CachedOperation.OPENAI_CHAT_COMPLETIONS, 200, truncated, BigDecimal.ONE))
        .isFalse();
    byte[] filtered =
        bytes(
            StreamReplayAndAssemblyTest.CHAT_ANSWER.replace(
                "\"tool_calls\"}", "\"content_filter\"}"));
    assertThat(
            cache.storeAnswer(
                miss, CachedOperation.OPENAI_CHAT_COMPLETIONS, 200, filtered, BigDecimal.ONE))
        .isFalse();
    assertThat(
            cache.storeAnswer(
                miss, CachedOperation.OPENAI_CHAT_COMPLETIONS, 500, bytes("{}"), BigDecimal.ONE))
        .isFalse();
    assertThat(cache.lookup(TEAM_A, json(REQUEST), EXACT, CacheDirective.DEFAULT).status())
        .isEqualTo(CacheStatus.MISS);
  }

  private void storeOnce(CacheSubject subject) {
    CacheLookup miss = cache.lookup(subject, json(REQUEST), EXACT, CacheDirective.DEFAULT);
    cache.storeAnswer(
        miss,
        CachedOperation.OPENAI_CHAT_COMPLETIONS,
        200,
        bytes(StreamReplayAndAssemblyTest.CHAT_ANSWER),
        BigDecimal.ONE);
  }

  @Test
  void namespacesNeverShareAnEntryEitherWay() {
    CacheSubject teamB =
        CacheSubject.namespaceScope(
            "team-b", "team-a/chat", CachedOperation.OPENAI_CHAT_COMPLETIONS);
    storeOnce(TEAM_A);
    assertThat(cache.lookup(teamB, json(REQUEST), EXACT, CacheDirective.DEFAULT).status())
        .isEqualTo(CacheStatus.MISS);

    CacheSubject teamC =
        CacheSubject.namespaceScope(
            "team-c", "team-a/chat", CachedOperation.OPENAI_CHAT_COMPLETIONS);
    CacheSubject teamD =
        CacheSubject.namespaceScope(
            "team-d", "team-a/chat", CachedOperation.OPENAI_CHAT_COMPLETIONS);
    storeOnce(teamD);
    assertThat(cache.lookup(teamC, json(REQUEST), EXACT, CacheDirective.DEFAULT).status())
        .isEqualTo(CacheStatus.MISS);
    assertThat(cache.lookup(teamD, json(REQUEST), EXACT, CacheDirective.DEFAULT).status())
        .isEqualTo(CacheStatus.HIT);
  }

  @Test
  void bypassNeitherReadsNorWrites() {
    storeOnce(TEAM_A);
    CacheLookup bypass =
        cache.lookup(TEAM_A, json(REQUEST), EXACT, CacheDirective.parse("bypass", null));
    assertThat(bypass.status()).isEqualTo(CacheStatus.BYPASS);
    assertThat(bypass.hit()).isFalse();
    assertThat(bypass.write()).isFalse();
  }

  @Test
  void refreshSkipsTheReadAndReplacesTheEntry() {
    storeOnce(TEAM_A);
    CacheLookup refresh =
        cache.lookup(TEAM_A, json(REQUEST), EXACT, CacheDirective.parse(null, "no-cache"));
    assertThat(refresh.status()).isEqualTo(CacheStatus.REFRESH);
    assertThat(refresh.hit()).isFalse();
    byte[] newer = bytes(StreamReplayAndAssemblyTest.CHAT_ANSWER.replace("Paris.", "Paris!"));
    assertThat(
            cache.storeAnswer(
                refresh, CachedOperation.OPENAI_CHAT_COMPLETIONS, 200, newer, BigDecimal.ONE))
        .isTrue();
    assertThat(
            cache
                .lookup(TEAM_A, json(REQUEST), EXACT, CacheDirective.DEFAULT)
                .answer()
                .orElseThrow()
                .body())
        .isEqualTo(newer);
  }

  @Test
  void noStoreReadsButAMissIsNotStored() {
    CacheLookup miss =
        cache.lookup(TEAM_A, json(REQUEST), EXACT, CacheDirective.parse(null, "no-store"));
    assertThat(miss.status()).isEqualTo(CacheStatus.MISS);
    assertThat(
            cache.storeAnswer(
                miss,
                CachedOperation.OPENAI_CHAT_COMPLETIONS,
                200,
                bytes(StreamReplayAndAssemblyTest.CHAT_ANSWER),
                BigDecimal.ONE))
        .isFalse();
    storeOnce(TEAM_A);
    assertThat(
            cache
                .lookup(TEAM_A, json(REQUEST), EXACT, CacheDirective.parse(null, "no-store"))
                .status())
        .isEqualTo(CacheStatus.HIT);
  }
}
