package dev.portcullis.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddingPoolTest {
  @Test
  void aVirtualThreadWaitsWhileAPlatformThreadEmbeds() throws Exception {
    try (EmbeddingPool pool =
            new EmbeddingPool(
                text -> new float[] {text.length(), Thread.currentThread().isVirtual() ? 1 : 0},
                1,
                1);
        ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
      float[] vector = virtual.submit(() -> pool.embed("hello")).get(10, TimeUnit.SECONDS);
      assertThat(vector).containsExactly(5f, 0f);
    }
  }

  @Test
  void aFullQueueRefusesAtOnceAndTheCacheFallsBackToExact() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    try (EmbeddingPool pool =
            new EmbeddingPool(
                text -> {
                  running.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return new float[] {1, 0};
                },
                1,
                1);
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<float[]> first = callers.submit(() -> pool.embed("one"));
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      Future<float[]> queued = callers.submit(() -> pool.embed("two"));
      // The one running and the one queued fill the pool: the next is refused without waiting.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pool.waiting() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(pool.waiting()).isEqualTo(1);
      assertThatThrownBy(() -> pool.embed("four")).isInstanceOf(EmbeddingPool.Overloaded.class);

      ResponseCache cache =
          new ResponseCache(
              new InProcessCacheStore(1 << 20, 1 << 16),
              new SemanticCache(pool, new VectorIndex(10, 10, java.time.Clock.systemUTC()), null),
              java.time.Clock.systemUTC());
      CacheLookup lookup =
          cache.lookup(
              ResponseCacheTest.TEAM_A,
              CacheKeyTest.json(ResponseCacheTest.REQUEST),
              CachePolicy.semantic(java.time.Duration.ofMinutes(1), 0.88),
              CacheDirective.DEFAULT);
      assertThat(lookup.status()).isEqualTo(CacheStatus.MISS);
      assertThat(lookup.write()).as("stored exactly").isTrue();
      assertThat(lookup.question()).isNull();
      assertThat(cache.lookups().embeddingsShed()).isEqualTo(1);
      assertThat(cache.lookups().embeddingFailures()).isZero();

      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(1f, 0f);
      assertThat(queued.get(10, TimeUnit.SECONDS)).containsExactly(1f, 0f);
    }
  }
}
