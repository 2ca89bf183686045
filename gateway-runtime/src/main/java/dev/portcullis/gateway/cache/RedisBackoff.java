package dev.portcullis.gateway.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Leaves the response cache's Redis alone for {@code retryAfter} after a failure, so an outage
 * costs one timeout per interval rather than one per request. One instance per Redis, shared by
 * everything of the cache that calls it ({@link RedisCacheStore}, {@link SharedVectorLog}): a
 * timeout met by one rests the others too.
 */
final class RedisBackoff {
  private static final Logger LOG = Logger.getLogger(RedisBackoff.class.getName());

  private final Duration retryAfter;
  private final Clock clock;
  private final AtomicLong unavailableUntilMillis = new AtomicLong();

  RedisBackoff(Duration retryAfter, Clock clock) {
    this.retryAfter = retryAfter;
    this.clock = clock;
  }

  /** Whether Redis is being left alone (it failed less than {@code retryAfter} ago). */
  boolean resting() {
    return clock.millis() < unavailableUntilMillis.get();
  }

  /** Redis failed doing {@code what}: left alone from now for {@code retryAfter}. */
  void failed(String what, JedisException e) {
    long until = clock.millis() + retryAfter.toMillis();
    if (unavailableUntilMillis.getAndSet(until) < clock.millis()) {
      // Once per outage interval, not once per request; the message names no credentials.
      LOG.log(
          Level.WARNING,
          "response cache: Redis unavailable ({0} failed: {1}); requests go upstream",
          new Object[] {what, e.getClass().getSimpleName()});
    }
  }
}
