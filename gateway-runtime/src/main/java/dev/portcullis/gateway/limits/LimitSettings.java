package dev.portcullis.gateway.limits;

import java.time.Duration;

/**
 * Where limits are counted and how reservations are estimated.
 *
 * @param redisUrl {@code redis://[[user]:password@]host:port[/db]} or {@code rediss://…} (TLS),
 *     {@code redis-sentinel://…} or {@code redis-cluster://…} ({@link
 *     dev.portcullis.gateway.redis.RedisEndpoint}); null: in-process counters only (standalone)
 * @param keyPrefix put before every Redis key (several fleets or tests can share one Redis)
 * @param redisTimeout connect and read timeout of one Redis call; a request never waits longer
 * @param redisRetryAfter after a failure Redis is not asked again for this long
 * @param defaultOutputTokens output tokens reserved when a request sets no {@code max_tokens}
 */
public record LimitSettings(
    String redisUrl,
    String keyPrefix,
    Duration redisTimeout,
    Duration redisRetryAfter,
    int defaultOutputTokens) {

  public static final LimitSettings DEFAULTS =
      new LimitSettings(null, "portcullis:", Duration.ofMillis(250), Duration.ofSeconds(1), 4096);

  public LimitSettings withRedis(String url) {
    return new LimitSettings(url, keyPrefix, redisTimeout, redisRetryAfter, defaultOutputTokens);
  }

  public LimitSettings withKeyPrefix(String prefix) {
    return new LimitSettings(redisUrl, prefix, redisTimeout, redisRetryAfter, defaultOutputTokens);
  }

  public LimitSettings withDefaultOutputTokens(int tokens) {
    return new LimitSettings(redisUrl, keyPrefix, redisTimeout, redisRetryAfter, tokens);
  }

  /** The store these settings describe: Redis with a local fallback, or in-process. */
  public LimitStore openStore(LimitCounters counters) {
    if (redisUrl == null || redisUrl.isBlank()) {
      return new InProcessLimitStore();
    }
    return new FallbackLimitStore(
        new RedisLimitStore(redisUrl, keyPrefix, redisTimeout),
        new InProcessLimitStore(),
        counters,
        redisRetryAfter);
  }

  /** The Redis URL without its user and password, for logs and status pages. */
  public String redactedRedisUrl() {
    if (redisUrl == null) {
      return null;
    }
    int scheme = redisUrl.indexOf("://");
    if (scheme < 0) {
      return "(invalid Redis URL)";
    }
    int pathStart = redisUrl.indexOf('/', scheme + 3);
    String authority =
        pathStart < 0 ? redisUrl.substring(scheme + 3) : redisUrl.substring(scheme + 3, pathStart);
    int at = authority.lastIndexOf('@');
    if (at < 0) {
      int query = redisUrl.indexOf('?');
      return query < 0 ? redisUrl : redisUrl.substring(0, query);
    }
    String rest = pathStart < 0 ? "" : redisUrl.substring(pathStart);
    int query = rest.indexOf('?');
    // The query may carry sentinelPassword: it is left out whole.
    rest = query < 0 ? rest : rest.substring(0, query);
    return redisUrl.substring(0, scheme + 3) + "***@" + authority.substring(at + 1) + rest;
  }

  @Override
  public String toString() {
    return "LimitSettings[redis="
        + redactedRedisUrl()
        + ", keyPrefix="
        + keyPrefix
        + ", redisTimeout="
        + redisTimeout
        + ", redisRetryAfter="
        + redisRetryAfter
        + ", defaultOutputTokens="
        + defaultOutputTokens
        + "]";
  }
}
