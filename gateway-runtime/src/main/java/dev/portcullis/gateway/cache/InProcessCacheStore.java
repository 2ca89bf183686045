package dev.portcullis.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;

/**
 * The store of one gateway when no Redis is configured: Caffeine, bounded in bytes (each entry
 * weighs its {@link CachedAnswer#weightBytes()}), each entry expiring after its own TTL. Eviction
 * is Caffeine's W-TinyLFU, so one burst of one-off answers does not push out the popular ones.
 */
public final class InProcessCacheStore implements CacheStore {
  private final Cache<String, Stored> entries;
  private final CacheCounters counters = new CacheCounters();
  private final int maxEntryBytes;

  private record Stored(CachedAnswer answer, long ttlNanos) {}

  /**
   * @param maxBytes the total weight of all entries
   * @param maxEntryBytes an answer above this weight is not stored (counted as too large)
   */
  public InProcessCacheStore(long maxBytes, int maxEntryBytes) {
    this(maxBytes, maxEntryBytes, Ticker.systemTicker());
  }

  /** With a ticker of the test's choosing, for expiry tests. */
  InProcessCacheStore(long maxBytes, int maxEntryBytes, Ticker ticker) {
    this.maxEntryBytes = maxEntryBytes;
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((String key, Stored value) -> value.answer().weightBytes() + key.length() * 2)
            .expireAfter(
                new Expiry<String, Stored>() {
                  @Override
                  public long expireAfterCreate(String key, Stored value, long currentTime) {
                    return value.ttlNanos();
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, Stored value, long currentTime, long currentDuration) {
                    return value.ttlNanos();
                  }

                  @Override
                  public long expireAfterRead(
                      String key, Stored value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .ticker(ticker)
            .executor(Runnable::run)
            .evictionListener(
                (String key, Stored value, RemovalCause cause) -> {
                  if (cause == RemovalCause.SIZE) {
                    counters.evicted();
                  }
                })
            .build();
  }

  @Override
  public Optional<CachedAnswer> get(CacheKey key) {
    Stored stored = entries.getIfPresent(key.value());
    if (stored == null) {
      counters.miss();
      return Optional.empty();
    }
    counters.hit();
    return Optional.of(stored.answer());
  }

  @Override
  public void put(CacheKey key, CachedAnswer answer, Duration ttl) {
    if (answer.weightBytes() > maxEntryBytes) {
      counters.tooLarge();
      return;
    }
    entries.put(key.value(), new Stored(answer, ttl.toNanos()));
    counters.stored();
  }

  @Override
  public CacheCounters counters() {
    return counters;
  }

  @Override
  public long bytesHeld() {
    return entries.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  /** The total weight held now, after pending evictions. */
  long weightedSize() {
    entries.cleanUp();
    return entries.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }
}
