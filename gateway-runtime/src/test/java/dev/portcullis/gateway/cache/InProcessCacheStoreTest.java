package dev.portcullis.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InProcessCacheStoreTest {
  private final AtomicLong nanos = new AtomicLong();

  static CachedAnswer answer(int bytes) {
    return new CachedAnswer(
        "x".repeat(bytes).getBytes(StandardCharsets.UTF_8),
        "gpt-4o",
        10,
        5,
        new BigDecimal("0.0012"),
        Instant.parse("2026-01-01T00:00:00Z"));
  }

  static CacheKey key(int i) {
    return new CacheKey("%064x".formatted(i));
  }

  @Test
  void aStoredAnswerIsFoundUntilItsTtlEnds() {
    InProcessCacheStore store = new InProcessCacheStore(1 << 20, 1 << 16, nanos::get);
    store.put(key(1), answer(100), Duration.ofMinutes(10));
    store.put(key(2), answer(100), Duration.ofMinutes(1));

    nanos.addAndGet(Duration.ofMinutes(2).toNanos());
    assertThat(store.get(key(1))).isPresent();
    assertThat(store.get(key(2))).isEmpty();

    nanos.addAndGet(Duration.ofMinutes(9).toNanos());
    assertThat(store.get(key(1))).isEmpty();
    assertThat(store.counters().snapshot()).isEqualTo(new CacheCounters.Snapshot(1, 2, 2, 0, 0, 0));
  }

  @Test
  void theStoreIsBoundedInBytes() {
    long bound = 100_000;
    InProcessCacheStore store = new InProcessCacheStore(bound, 1 << 16, nanos::get);
    for (int i = 0; i < 100; i++) {
      store.put(key(i), answer(10_000), Duration.ofMinutes(10));
    }
    assertThat(store.weightedSize()).isLessThanOrEqualTo(bound).isGreaterThan(bound / 2);
  }

  @Test
  void anAnswerLargerThanTheEntryLimitIsNotStored() {
    InProcessCacheStore store = new InProcessCacheStore(1 << 20, 1000, nanos::get);
    store.put(key(1), answer(5000), Duration.ofMinutes(10));
    assertThat(store.get(key(1))).isEmpty();
    assertThat(store.counters().snapshot().tooLarge()).isEqualTo(1);
  }

  @Test
  void theAgeIsWholeSecondsSinceStoringAndNeverNegative() {
    CachedAnswer a = answer(1);
    assertThat(a.ageSeconds(Instant.parse("2026-01-01T00:01:30.900Z"))).isEqualTo(90);
    assertThat(a.ageSeconds(Instant.parse("2025-12-31T23:59:59Z"))).isZero();
  }

  @Test
  void anEntrySurvivesEncodingForASharedStore() {
    CachedAnswer a = answer(300);
    CachedAnswer b = CachedAnswer.decode(a.encode());
    assertThat(b.body()).isEqualTo(a.body());
    assertThat(b).usingRecursiveComparison().ignoringFields("body").isEqualTo(a);
  }
}
