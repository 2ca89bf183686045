package dev.portcullis.gateway.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * How the semantic cache's vectors reach every gateway of a fleet: one Redis list per context key,
 * {@code <prefix>{s:<context>}}, appended to when an answer is stored ({@code RPUSH}, then the
 * list's expiry is pushed out to the TTL) and read incrementally by each gateway into its {@link
 * VectorIndex} when its own vectors have no match: {@code LRANGE list <offset> -1} returns only
 * what this gateway has not seen yet (usually nothing), pipelined with {@code LLEN} to notice a
 * list that expired and started again. One round trip, only on a semantic route, only when the
 * local index missed.
 *
 * <p>An element is the expiry (8 bytes, epoch millis), the entry's exact key (32 bytes), the number
 * of dimensions (4 bytes), the unit vector (4 bytes per dimension) and the question's text (UTF-8,
 * for the {@link NearMissGuard}; the answer itself is in the same Redis already). A list holds at
 * most {@code maxPerContext} elements; beyond that new vectors are not shared (the answers are
 * still stored and hit exactly). Failures are swallowed: sharing is best effort, the exact store
 * decides what a hit is. After a failure Redis is left alone for a while ({@link RedisBackoff}, the
 * one of the {@link RedisCacheStore} on the same Redis): meanwhile nothing is shared or read, and a
 * request pays no timeout for it.
 */
public final class SharedVectorLog {
  private final UnifiedJedis redis;
  private final String prefix;
  private final int maxPerContext;
  private final RedisBackoff backoff;
  private final Clock clock;

  /**
   * @param store the exact store on the same Redis, whose back-off this log shares
   */
  public SharedVectorLog(
      UnifiedJedis redis, String prefix, int maxPerContext, RedisCacheStore store, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.maxPerContext = maxPerContext;
    this.backoff = store.backoff();
    this.clock = clock;
  }

  /** The Redis key of a context's list. */
  public String redisKey(CacheKey context) {
    return prefix + "{s:" + context.value() + "}";
  }

  /** Shares a stored answer's vector with the fleet; false when Redis did not take it. */
  public boolean append(
      CacheKey context, float[] unit, String question, CacheKey entry, Duration ttl) {
    if (backoff.resting()) {
      return false;
    }
    byte[] key = redisKey(context).getBytes(StandardCharsets.UTF_8);
    byte[] text = question.getBytes(StandardCharsets.UTF_8);
    ByteBuffer element = ByteBuffer.allocate(8 + 32 + 4 + 4 * unit.length + text.length);
    element.putLong(clock.millis() + ttl.toMillis());
    element.put(HexFormat.of().parseHex(entry.value()));
    element.putInt(unit.length);
    for (float x : unit) {
      element.putFloat(x);
    }
    element.put(text);
    try (AbstractPipeline pipeline = redis.pipelined()) {
      Response<Long> length = pipeline.rpush(key, element.array());
      pipeline.pexpire(key, Math.max(1, ttl.toMillis()));
      pipeline.sync();
      if (length.get() > maxPerContext) {
        // Trim the tail, not the head: other gateways' read offsets stay valid.
        redis.ltrim(key, 0, maxPerContext - 1);
      }
      return true;
    } catch (JedisException e) {
      backoff.failed("vector share", e);
      return false;
    }
  }

  /**
   * Adds to {@code index} the vectors of {@code context} this gateway has not read yet.
   *
   * @return how many were added; -1 when Redis could not be read
   */
  public int catchUp(CacheKey context, VectorIndex index) {
    if (backoff.resting()) {
      return -1;
    }
    VectorIndex.ContextVectors local = index.context(context);
    long offset = local.sharedOffset();
    byte[] key = redisKey(context).getBytes(StandardCharsets.UTF_8);
    List<byte[]> fresh;
    long length;
    try (AbstractPipeline pipeline = redis.pipelined()) {
      Response<List<byte[]>> range = pipeline.lrange(key, offset, -1);
      Response<Long> llen = pipeline.llen(key);
      pipeline.sync();
      fresh = range.get();
      length = llen.get();
      if (length < offset) {
        // The list expired and started again: read it from the start.
        offset = 0;
        fresh = redis.lrange(key, 0, -1);
        length = fresh.size();
      }
    } catch (JedisException e) {
      backoff.failed("vector read", e);
      return -1;
    }
    long now = clock.millis();
    int added = 0;
    for (byte[] bytes : fresh) {
      ByteBuffer element = ByteBuffer.wrap(bytes);
      if (bytes.length < 44) {
        continue;
      }
      long expiresAt = element.getLong();
      byte[] entry = new byte[32];
      element.get(entry);
      int dimensions = element.getInt();
      if (dimensions < 0 || element.remaining() < 4L * dimensions) {
        continue; // not an element this version wrote
      }
      float[] unit = new float[dimensions];
      for (int i = 0; i < unit.length; i++) {
        unit[i] = element.getFloat();
      }
      byte[] text = new byte[element.remaining()];
      element.get(text);
      if (expiresAt > now) {
        index.add(
            context,
            unit,
            new String(text, StandardCharsets.UTF_8),
            new CacheKey(HexFormat.of().formatHex(entry)),
            expiresAt);
        added++;
      }
    }
    local.sharedOffset(offset + fresh.size());
    return added;
  }
}
