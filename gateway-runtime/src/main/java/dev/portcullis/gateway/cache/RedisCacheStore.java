package dev.portcullis.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The fleet's shared store: one Redis string per entry, {@code <prefix>{c:<key>}}, holding {@link
 * CachedAnswer#encode()} and expiring with the route's TTL ({@code SET … PX}). The hash tag is the
 * entry's own key, so in a Redis Cluster entries spread over all slots and each command touches
 * one.
 *
 * <p>Redis unreachable: a lookup is a miss and a store is skipped, both counted as {@code
 * unavailable}, never an error to the caller; the request simply goes upstream. After a failure
 * Redis is not asked again for {@code retryAfter} ({@link RedisBackoff}, shared with the {@link
 * SharedVectorLog} on the same Redis), so an outage costs one timeout per interval rather than one
 * per request. An entry larger than {@code maxEntryBytes} is not stored (counted as too large): one
 * huge answer must not fill a shared Redis.
 */
public final class RedisCacheStore implements CacheStore {
  private final UnifiedJedis redis;
  private final String prefix;
  private final int maxEntryBytes;
  private final CacheCounters counters = new CacheCounters();
  private final RedisBackoff backoff;

  /**
   * @param redis from {@code RedisEndpoint.connect}; shared, not closed by this store
   * @param prefix prepended to every key, e.g. {@code portcullis:cache:}
   * @param maxEntryBytes the largest encoded entry stored
   * @param retryAfter how long Redis is left alone after a failure
   */
  public RedisCacheStore(
      UnifiedJedis redis, String prefix, int maxEntryBytes, Duration retryAfter, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.maxEntryBytes = maxEntryBytes;
    this.backoff = new RedisBackoff(retryAfter, clock);
  }

  /** The Redis key of an entry. */
  public String redisKey(CacheKey key) {
    return prefix + "{c:" + key.value() + "}";
  }

  @Override
  public Optional<CachedAnswer> get(CacheKey key) {
    if (resting()) {
      counters.unavailable();
      counters.miss();
      return Optional.empty();
    }
    byte[] encoded;
    try {
      encoded = redis.get(redisKey(key).getBytes(StandardCharsets.UTF_8));
    } catch (JedisException e) {
      failed("lookup", e);
      counters.miss();
      return Optional.empty();
    }
    if (encoded == null) {
      counters.miss();
      return Optional.empty();
    }
    try {
      CachedAnswer answer = CachedAnswer.decode(encoded);
      counters.hit();
      return Optional.of(answer);
    } catch (IllegalArgumentException e) {
      // An entry of another version (a rolling upgrade) or corrupt: a miss; the answer that
      // follows overwrites it.
      counters.miss();
      return Optional.empty();
    }
  }

  @Override
  public void put(CacheKey key, CachedAnswer answer, Duration ttl) {
    byte[] encoded = answer.encode();
    if (encoded.length > maxEntryBytes) {
      counters.tooLarge();
      return;
    }
    if (resting()) {
      counters.unavailable();
      return;
    }
    try {
      redis.set(
          redisKey(key).getBytes(StandardCharsets.UTF_8),
          encoded,
          SetParams.setParams().px(Math.max(1, ttl.toMillis())));
      counters.stored();
    } catch (JedisException e) {
      failed("store", e);
    }
  }

  @Override
  public CacheCounters counters() {
    return counters;
  }

  /** When this store's Redis is left alone; the {@link SharedVectorLog} on it takes the same. */
  RedisBackoff backoff() {
    return backoff;
  }

  private boolean resting() {
    return backoff.resting();
  }

  private void failed(String what, JedisException e) {
    counters.unavailable();
    backoff.failed(what, e);
  }
}
