package dev.portcullis.gateway.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * A route's {@code spec.cache}, as the cache needs it.
 *
 * @param semantic whether the last user message is compared by meaning ({@code mode: Semantic})
 * @param ttl how long an answer is reused
 * @param threshold the cosine similarity at or above which a semantic match is a hit; use {@link
 *     SemanticCache#DEFAULT_THRESHOLD} when the route sets none
 */
public record CachePolicy(boolean semantic, Duration ttl, double threshold) {
  public CachePolicy {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("cache ttl must be positive");
    }
  }

  public static CachePolicy exact(Duration ttl) {
    return new CachePolicy(false, ttl, SemanticCache.DEFAULT_THRESHOLD);
  }

  public static CachePolicy semantic(Duration ttl, double threshold) {
    return new CachePolicy(true, ttl, threshold);
  }
}
