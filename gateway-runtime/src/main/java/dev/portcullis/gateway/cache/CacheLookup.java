package dev.portcullis.gateway.cache;

import java.util.Optional;

/**
 * The outcome of {@link ResponseCache#lookup}: the answer on a hit, the header value, and what is
 * needed to store the upstream's answer on a miss.
 *
 * @param status the {@code x-portcullis-cache} value; on a miss it stays MISS (or BYPASS/REFRESH)
 *     whether or not the answer is then stored
 * @param answer the stored answer on HIT or SEMANTIC_HIT, else empty
 * @param exactKey the request's exact key (null when the cache was bypassed)
 * @param semanticContext the context key on a semantic route (null otherwise)
 * @param question the last user message's unit vector on a semantic route (null otherwise)
 * @param questionText the last user message's text on a semantic route (null otherwise)
 * @param policy the route's policy
 * @param write whether the answer may be stored
 */
public record CacheLookup(
    CacheStatus status,
    Optional<CachedAnswer> answer,
    CacheKey exactKey,
    CacheKey semanticContext,
    float[] question,
    String questionText,
    CachePolicy policy,
    boolean write) {

  /** Whether the answer comes from the cache (the upstream is not called). */
  public boolean hit() {
    return answer.isPresent();
  }
}
