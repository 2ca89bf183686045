package dev.portcullis.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.redis.RedisEndpoint;
import dev.portcullis.gateway.testing.LocalRedis;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The semantic cache's shared vector log when its Redis (a real {@code redis-server} on a free
 * port) stops answering: it backs off with the exact store, so requests do not each wait for a
 * timeout.
 */
class SharedVectorLogTest {
  static final Duration TIMEOUT = Duration.ofMillis(400);
  static final CacheKey CONTEXT = new CacheKey("c".repeat(64));
  static final CacheKey ENTRY = new CacheKey("e".repeat(64));
  static final float[] UNIT = VectorIndex.normalized(new float[] {1, 2, 3});

  final String prefix = LocalRedis.uniquePrefix();
  final Clock clock = Clock.systemUTC();
  UnifiedJedis redis;

  @AfterEach
  void close() {
    if (redis != null) {
      redis.close();
    }
  }

  VectorIndex freshIndex() {
    return new VectorIndex(10, 10, clock);
  }

  @Test
  void aHungRedisCostsOneTimeoutPerIntervalNotOnePerRequest() throws Exception {
    try (LocalRedis.Process server = LocalRedis.Process.start()) {
      redis = RedisEndpoint.parse(server.url()).connect(TIMEOUT);
      RedisCacheStore store =
          new RedisCacheStore(redis, prefix, 1 << 20, Duration.ofSeconds(30), clock);
      SharedVectorLog log = new SharedVectorLog(redis, prefix, 100, store, clock);
      assertThat(log.append(CONTEXT, UNIT, "q", ENTRY, Duration.ofMinutes(1))).isTrue();
      assertThat(log.catchUp(CONTEXT, freshIndex())).isEqualTo(1);

      server.pause();
      try {
        long first = System.nanoTime();
        assertThat(log.catchUp(CONTEXT, freshIndex())).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - first)).isGreaterThanOrEqualTo(TIMEOUT);

        long rest = System.nanoTime();
        for (int i = 0; i < 20; i++) {
          assertThat(log.catchUp(CONTEXT, freshIndex())).isEqualTo(-1);
          assertThat(log.append(CONTEXT, UNIT, "q" + i, ENTRY, Duration.ofMinutes(1))).isFalse();
        }
        // Forty calls together take less than one timeout: none of them waited for Redis.
        assertThat(Duration.ofNanos(System.nanoTime() - rest)).isLessThan(TIMEOUT);
        // The exact store on the same Redis rests too.
        assertThat(store.get(ENTRY)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - rest)).isLessThan(TIMEOUT);
      } finally {
        server.resume();
      }
    }
  }

  @Test
  void aFailureOfTheExactStoreRestsTheLogUntilTheIntervalEnds() throws Exception {
    try (LocalRedis.Process server = LocalRedis.Process.start()) {
      redis = RedisEndpoint.parse(server.url()).connect(TIMEOUT);
      Duration retryAfter = Duration.ofMillis(1500);
      RedisCacheStore store = new RedisCacheStore(redis, prefix, 1 << 20, retryAfter, clock);
      SharedVectorLog log = new SharedVectorLog(redis, prefix, 100, store, clock);
      assertThat(log.append(CONTEXT, UNIT, "q", ENTRY, Duration.ofMinutes(1))).isTrue();

      server.pause();
      long failedAt = System.nanoTime();
      assertThat(store.get(ENTRY)).isEmpty(); // times out
      server.resume();

      // Redis answers again, but the log leaves it alone for the rest of the interval...
      assertThat(log.catchUp(CONTEXT, freshIndex())).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - failedAt)).isLessThan(retryAfter);
      // ...and afterwards reads it again.
      Thread.sleep(retryAfter.plusMillis(100).toMillis());
      assertThat(log.catchUp(CONTEXT, freshIndex())).isEqualTo(1);
      assertThat(store.counters().snapshot().unavailable()).isEqualTo(1);
    }
  }
}
