package dev.portcullis.gateway.limits;

import java.net.URI;
import java.time.Duration;

/**
 * Where limits are counted and how reservations are estimated.
 *
 * @param redisUrl {@code redis://[[user]:password@]host:port[/db]} or {@code rediss://…} (TLS);
 *     null: in-process counters only (standalone)
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

  /** The Redis URL without its password, for logs and status pages. */
  public String redactedRedisUrl() {
    if (redisUrl == null) {
      return null;
    }
    try {
      URI u = URI.create(redisUrl);
      if (u.getUserInfo() == null) {
        return redisUrl;
      }
      return new URI(u.getScheme(), "***", u.getHost(), u.getPort(), u.getPath(), null, null)
          .toString();
    } catch (Exception e) {
      return "(unparseable Redis URL)";
    }
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
