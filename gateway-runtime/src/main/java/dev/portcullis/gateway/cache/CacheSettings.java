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

  /**
   * The semantic index's bounds: contexts kept (least recently used dropped) and questions per
   * context (oldest dropped). At most 64 Ki vectors of 384 floats, about 100 MB of heap when full.
   */
  public static final int SEMANTIC_MAX_CONTEXTS = 512;

  public static final int SEMANTIC_MAX_PER_CONTEXT = 128;

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
   * The cache these settings describe, exact and semantic. The semantic part costs nothing until a
   * semantic route asks: its model loads on first use (or on {@link
   * MiniLmSentenceEmbedder#warmUp()}), and exact routes never embed.
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
    VectorIndex index = new VectorIndex(SEMANTIC_MAX_CONTEXTS, SEMANTIC_MAX_PER_CONTEXT, clock);
    EmbeddingPool embeddings = EmbeddingPool.sizedForThisMachine(MiniLmSentenceEmbedder.shared());
    atShutdown.accept(embeddings::close);
    if (redisUrl == null || redisUrl.isBlank()) {
      return new ResponseCache(
          new InProcessCacheStore(maxBytes, maxEntryBytes),
          new SemanticCache(embeddings, index, null),
          clock);
    }
    UnifiedJedis redis = RedisEndpoint.parse(redisUrl).connect(timeout);
    atShutdown.accept(redis::close);
    RedisCacheStore store = new RedisCacheStore(redis, keyPrefix, maxEntryBytes, retryAfter, clock);
    return new ResponseCache(
        store,
        new SemanticCache(
            embeddings,
            index,
            new SharedVectorLog(redis, keyPrefix, SEMANTIC_MAX_PER_CONTEXT, store, clock)),
        clock);
  }

  /** The in-process cache these settings describe. */
  public ResponseCache openInProcess(Clock clock) {
    return open(null, null, null, clock, action -> {});
  }
}
