package dev.portcullis.gateway.cache;

import static dev.portcullis.gateway.cache.InProcessCacheStoreTest.answer;
import static dev.portcullis.gateway.cache.InProcessCacheStoreTest.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.gateway.redis.RedisEndpoint;
import dev.portcullis.gateway.testing.LocalRedis;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** The behaviour every {@link CacheStore} shares, run against each implementation. */
class CacheStoreContractTest {
  abstract static class Contract {
    abstract CacheStore store();

    @Test
    void aStoredAnswerIsFoundWithItsFields() {
      store().put(key(1), answer(40), Duration.ofMinutes(1));
      CachedAnswer found = store().get(key(1)).orElseThrow();
      assertThat(found.body()).isEqualTo(answer(40).body());
      assertThat(found.model()).isEqualTo("gpt-4o");
      assertThat(found.inputTokens()).isEqualTo(10);
      assertThat(found.outputTokens()).isEqualTo(5);
      assertThat(found.storedAt()).isEqualTo(answer(40).storedAt());
    }

    @Test
    void anUnknownKeyIsAMiss() {
      assertThat(store().get(key(99))).isEmpty();
      assertThat(store().counters().snapshot().misses()).isEqualTo(1);
    }

    @Test
    void storingAgainReplacesTheAnswer() {
      store().put(key(1), answer(40), Duration.ofMinutes(1));
      store().put(key(1), answer(80), Duration.ofMinutes(1));
      assertThat(store().get(key(1)).orElseThrow().body()).hasSize(80);
    }

    @Test
    void anAnswerIsGoneAfterItsTtl() {
      store().put(key(1), answer(40), Duration.ofMillis(300));
      await().atMost(Duration.ofSeconds(5)).until(() -> store().get(key(1)).isEmpty());
    }
  }

  @Nested
  class InProcess extends Contract {
    private final InProcessCacheStore store = new InProcessCacheStore(1 << 20, 1 << 16);

    @Override
    CacheStore store() {
      return store;
    }
  }

  @Nested
  class Redis extends Contract {
    private final String prefix = LocalRedis.uniquePrefix();
    private UnifiedJedis redis;
    private RedisCacheStore store;

    @BeforeEach
    void connect() {
      LocalRedis.assumeShared();
      redis = RedisEndpoint.parse(LocalRedis.SHARED_URL).connect(Duration.ofSeconds(2));
      store = new RedisCacheStore(redis, prefix, 1 << 20, Duration.ofSeconds(1), Clock.systemUTC());
    }

    @AfterEach
    void clean() {
      if (redis != null) {
        redis.close();
      }
      LocalRedis.deleteKeys(LocalRedis.SHARED_URL, prefix);
    }

    @Override
    CacheStore store() {
      return store;
    }
  }
}
