package dev.portcullis.gateway.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * Where answers are kept, by {@link CacheKey}. A store never throws on the request path: a store
 * that cannot answer (Redis unreachable, a corrupt entry) reports a miss and skips the write, and
 * counts it in {@link #counters()}.
 */
public interface CacheStore {
  /** The answer stored under {@code key} and not yet expired; empty on a miss or a failure. */
  Optional<CachedAnswer> get(CacheKey key);

  /** Stores {@code answer} under {@code key} for {@code ttl}; a failure is counted, not thrown. */
  void put(CacheKey key, CachedAnswer answer, Duration ttl);

  /** What this store has done, for metrics. */
  CacheCounters counters();

  /** The bytes this gateway's store holds, when it knows (in process); -1 for a shared store. */
  default long bytesHeld() {
    return -1;
  }
}
