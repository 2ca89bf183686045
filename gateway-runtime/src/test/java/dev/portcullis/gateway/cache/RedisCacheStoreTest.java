package dev.portcullis.gateway.cache;

import static dev.portcullis.gateway.cache.InProcessCacheStoreTest.answer;
import static dev.portcullis.gateway.cache.InProcessCacheStoreTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.redis.RedisEndpoint;
import dev.portcullis.gateway.testing.LocalRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

class RedisCacheStoreTest {
  private final String prefix = LocalRedis.uniquePrefix();
  private UnifiedJedis redis;

  @AfterEach
  void clean() {
    if (redis != null) {
      redis.close();
    }
    LocalRedis.deleteKeys(LocalRedis.SHARED_URL, prefix);
  }

  private RedisCacheStore shared() {
    LocalRedis.assumeShared();
    redis = RedisEndpoint.parse(LocalRedis.SHARED_URL).connect(Duration.ofSeconds(2));
    return new RedisCacheStore(redis, prefix, 1 << 20, Duration.ofSeconds(1), Clock.systemUTC());
  }

  @Test
  void anEntryStoredByOneGatewayIsFoundByAnother() {
    RedisCacheStore first = shared();
    RedisCacheStore second =
        new RedisCacheStore(redis, prefix, 1 << 20, Duration.ofSeconds(1), Clock.systemUTC());
    first.put(key(1), answer(500), Duration.ofMinutes(10));

    CachedAnswer found = second.get(key(1)).orElseThrow();
    assertThat(found.body()).isEqualTo(answer(500).body());
    assertThat(found.costUsd()).isEqualByComparingTo("0.0012");
    assertThat(second.get(key(2))).isEmpty();
  }

  @Test
  void entriesExpireWithTheTtlUnderAHashTaggedPrefix() {
    RedisCacheStore store = shared();
    store.put(key(7), answer(10), Duration.ofSeconds(90));
    List<String> keys = LocalRedis.keys(LocalRedis.SHARED_URL, prefix);
    assertThat(keys).containsExactly(prefix + "{c:" + key(7).value() + "}");
    assertThat(LocalRedis.ttls(LocalRedis.SHARED_URL, keys).getFirst()).isBetween(80_000L, 90_000L);
  }

  @Test
  void anEntryAboveTheMaximumSizeIsNotStored() {
    LocalRedis.assumeShared();
    redis = RedisEndpoint.parse(LocalRedis.SHARED_URL).connect(Duration.ofSeconds(2));
    RedisCacheStore store =
        new RedisCacheStore(redis, prefix, 1000, Duration.ofSeconds(1), Clock.systemUTC());
    store.put(key(1), answer(2000), Duration.ofMinutes(1));
    assertThat(store.get(key(1))).isEmpty();
    assertThat(store.counters().snapshot().tooLarge()).isEqualTo(1);
    assertThat(LocalRedis.keys(LocalRedis.SHARED_URL, prefix)).isEmpty();
  }

  @Test
  void whenRedisIsUnreachableLookupsMissAndStoresAreSkippedCountedAndWithoutError()
      throws Exception {
    try (LocalRedis.Process server = LocalRedis.Process.start()) {
      redis = RedisEndpoint.parse(server.url()).connect(Duration.ofMillis(300));
      RedisCacheStore store =
          new RedisCacheStore(redis, prefix, 1 << 20, Duration.ofMillis(200), Clock.systemUTC());
      store.put(key(1), answer(10), Duration.ofMinutes(1));
      assertThat(store.get(key(1))).isPresent();

      server.stop();
      assertThat(store.get(key(1))).isEmpty();
      store.put(key(2), answer(10), Duration.ofMinutes(1));
      assertThat(store.get(key(2))).isEmpty();
      CacheCounters.Snapshot during = store.counters().snapshot();
      assertThat(during.unavailable()).isEqualTo(3);
      assertThat(during.misses()).isEqualTo(2);

      server.startAgain();
      Thread.sleep(250); // past the retry interval
      store.put(key(3), answer(10), Duration.ofMinutes(1));
      assertThat(store.get(key(3))).isPresent();
    }
  }
}
