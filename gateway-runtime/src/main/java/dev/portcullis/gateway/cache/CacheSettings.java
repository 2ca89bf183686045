package dev.portcullis.gateway.cache;

import dev.portcullis.gateway.redis.RedisEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import redis.clients.jedis.UnifiedJedis;

/**
 * Where the response cache keeps its entries: in the gateway's memory (the default, bounded by
 * {@code maxBytes}) or, when the gateway has a Redis URL ({@code --redis}), in Redis, shared by the
 * whole fleet.
 *
 * @param maxBytes the in-process store's bound on the entries' total size ({@code
 *     --cache-max-bytes})
 * @param maxEntryBytes the largest single entry kept; larger answers are not cached
 * @param keyPrefix prepended to every Redis key of the cache
 */
public record CacheSettings(long maxBytes, int maxEntryBytes, String keyPrefix) {
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024;
  public static final CacheSettings DEFAULTS =
      new CacheSettings(DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRY_BYTES, "portcullis:cache:");

  public CacheSettings {
    if (maxBytes <= 0 || maxEntryBytes <= 0) {
      throw new IllegalArgumentException("cache sizes must be positive");
    }
  }

  public CacheSettings withMaxBytes(long bytes) {
    return new CacheSettings(bytes, maxEntryBytes, keyPrefix);
  }

  public CacheSettings withKeyPrefix(String prefix) {
    return new CacheSettings(maxBytes, maxEntryBytes, prefix);
  }

  /**
   * The cache these settings describe. Semantic matching is not wired yet (exact mode only).
   *
   * @param redisUrl the gateway's Redis (the limits' endpoint), or null for the in-process store
   * @param timeout one Redis call's connect and read timeout (with Redis)
   * @param retryAfter how long Redis is left alone after a failure (with Redis)
   * @param atShutdown given what to run when the gateway stops (closing the Redis connections)
   */
  public ResponseCache open(
      String redisUrl,
      Duration timeout,
      Duration retryAfter,
      Clock clock,
      Consumer<Runnable> atShutdown) {
    if (redisUrl == null || redisUrl.isBlank()) {
      return new ResponseCache(new InProcessCacheStore(maxBytes, maxEntryBytes), null, clock);
    }
    UnifiedJedis redis = RedisEndpoint.parse(redisUrl).connect(timeout);
    atShutdown.accept(redis::close);
    return new ResponseCache(
        new RedisCacheStore(redis, keyPrefix, maxEntryBytes, retryAfter, clock), null, clock);
  }

  /** The in-process cache these settings describe. */
  public ResponseCache openInProcess(Clock clock) {
    return open(null, null, null, clock, action -> {});
  }
}
