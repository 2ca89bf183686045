package dev.portcullis.gateway.limits;

import dev.portcullis.gateway.limits.Decision.Refusal;
import dev.portcullis.gateway.redis.RedisEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Limits shared by the fleet in Redis. One Lua script checks and reserves before the call, one
 * settles after: one round trip each, atomic, so no two gateways can both take the last slot.
 *
 * <p>Keys of one subject share the hash tag {@code {<subject>}} (a Redis Cluster slot), e.g. for
 * virtual key {@code team-a/checkout}:
 *
 * <pre>
 * &lt;prefix&gt;{vk:team-a/checkout}:rpm            hash  second → requests     expires 61 s after last write
 * &lt;prefix&gt;{vk:team-a/checkout}:tpm            hash  second → tokens       expires 61 s after last write
 * &lt;prefix&gt;{vk:team-a/checkout}:inflight       zset  lease id → expiry ms  expires after the lease
 * &lt;prefix&gt;{vk:team-a/checkout}:spend:m2025-03 hash  spent, reserved, requests, input, output
 * </pre>
 *
 * <p>Connection errors and timeouts surface as {@link StoreUnavailableException}; the caller
 * decides whether to fail open.
 *
 * <p>One node, Sentinel or Cluster ({@link RedisEndpoint}). Behind Sentinel, a reservation counts
 * only once {@link RedisEndpoint#waitReplicas()} replicas hold it (Redis {@code WAIT}, pipelined on
 * the same connection, so still one round trip): a master that dies right after admitting a request
 * cannot take that admission with it, and the promoted replica never over-admits. A reservation the
 * replicas did not confirm is answered as "store unavailable" (refused for fail-closed keys); its
 * window second and lease expire by themselves.
 */
public final class RedisLimitStore implements LimitStore {
  private static final String RESERVE = script("reserve.lua");
  private static final String SETTLE = script("settle.lua");

  private final UnifiedJedis redis;
  private final String prefix;
  private final int waitReplicas;
  private final long waitMillis;
  private volatile String reserveSha;
  private volatile String settleSha;

  /**
   * @param url {@code redis://[[user]:password@]host:port[/db]}, {@code rediss://} for TLS, or a
   *     Sentinel or Cluster URL ({@link RedisEndpoint})
   * @param prefix put before every key, e.g. {@code portcullis:}
   * @param timeout connect and read timeout; also the longest wait for a pooled connection
   */
  public RedisLimitStore(String url, String prefix, Duration timeout) {
    this(RedisEndpoint.parse(url), prefix, timeout);
  }

  public RedisLimitStore(RedisEndpoint endpoint, String prefix, Duration timeout) {
    this.redis = endpoint.connect(timeout);
    this.prefix = prefix;
    this.waitReplicas = endpoint.waitReplicas();
    // WAIT must give up before the socket read does, so a missing replica is an answer.
    this.waitMillis = Math.max(1, timeout.toMillis() / 2);
  }

  @Override
  public Decision reserve(Demand d) {
    LimitPolicy p = d.policy();
    BudgetPolicy b = p.budget();
    String id = UUID.randomUUID().toString();
    List<String> args =
        List.of(
            Long.toString(d.nowMillis()),
            Long.toString(p.requestsPerMinute()),
            Long.toString(p.tokensPerMinute()),
            Long.toString(p.maxConcurrent()),
            Long.toString(Math.max(0, d.tokens())),
            Long.toString(Math.max(1, d.leaseMillis())),
            id,
            Long.toString(b == null ? -1 : b.amountNanos()),
            b != null && b.block() ? "1" : "0",
            Long.toString(Math.max(0, d.costNanos())),
            Long.toString(d.ledgerPeriod().ttlSeconds(Instant.ofEpochMilli(d.nowMillis()))));
    List<?> r;
    try {
      r = (List<?>) run(true, keys(d), args);
    } catch (UnconfirmedWrite e) {
      // Taken back at once, so a master without replicas does not fill the window with
      // admissions nobody got; if the release is lost too, the slot only expires (never over).
      if (num(((List<?>) e.result).get(0)) == Refusal.NONE.ordinal()) {
        releaseQuietly(d, id);
      }
      throw new StoreUnavailableException(e.getMessage(), null);
    }
    long refusal = num(r.get(0));
    long reqUsed = num(r.get(1));
    long reqOldest = num(r.get(2));
    long tokUsed = num(r.get(3));
    long tokOldest = num(r.get(4));
    boolean reached = num(r.get(8)) == 1;
    Quota quota =
        new Quota(
            p.requestsPerMinute(),
            p.limitsRequests() ? Math.max(0, p.requestsPerMinute() - reqUsed) : -1,
            reset(reqOldest, d.nowMillis()),
            p.tokensPerMinute(),
            p.limitsTokens() ? Math.max(0, p.tokensPerMinute() - tokUsed) : -1,
            reset(tokOldest, d.nowMillis()));
    Refusal why = Refusal.values()[(int) refusal];
    long second = Math.floorDiv(d.nowMillis(), 1000);
    Ticket ticket = why == Refusal.NONE ? new Ticket(d, id, second, this) : null;
    return new Decision(why, ticket, quota, reached);
  }

  @Override
  public void settle(Ticket t, Settlement s) {
    Demand d = t.demand();
    run(false, keys(d), settleArgs(t.second(), d, t.id(), s));
  }

  @Override
  public void record(Demand d, Settlement s) {
    // Nothing was reserved: the same script with zero reservations only adds the usage.
    Demand unreserved =
        new Demand(
            d.subject(), LimitPolicy.UNLIMITED, 0, 0, d.ledgerPeriod(), d.nowMillis(), 1, true);
    run(false, keys(d), settleArgs(0, unreserved, "-", s));
  }

  @Override
  public void addUsage(String subject, BudgetPeriod period, CountedUsage usage, long nowMillis) {
    Demand unreserved =
        new Demand(subject, LimitPolicy.UNLIMITED, 0, 0, period, nowMillis, 1, true);
    Settlement total =
        new Settlement(
            true, usage.inputTokens(), usage.outputTokens(), usage.costNanos(), nowMillis);
    List<String> args = new ArrayList<>(settleArgs(0, unreserved, "-", total));
    args.add(Long.toString(usage.requests()));
    run(false, keys(unreserved), args);
  }

  private static List<String> settleArgs(long second, Demand d, String id, Settlement s) {
    return List.of(
        Long.toString(second),
        d.policy().limitsRequests() ? "1" : "0",
        d.policy().limitsTokens() ? "1" : "0",
        Long.toString(Math.max(0, d.tokens())),
        s.served() ? "1" : "0",
        Long.toString(s.totalTokens()),
        id,
        Long.toString(Math.max(0, d.costNanos())),
        Long.toString(s.costNanos()),
        Long.toString(s.inputTokens()),
        Long.toString(s.outputTokens()),
        Long.toString(d.ledgerPeriod().ttlSeconds(Instant.ofEpochMilli(s.nowMillis()))));
  }

  @Override
  public boolean sharedAcrossGateways() {
    return true;
  }

  @Override
  public KeyUsage usage(String subject, BudgetPeriod period) {
    List<String> v;
    try {
      v =
          redis.hmget(
              spendKey(subject, period), "spent", "reserved", "requests", "input", "output");
    } catch (JedisDataException e) {
      throw e;
    } catch (JedisException e) {
      throw new StoreUnavailableException("Redis could not be reached: " + e.getMessage(), e);
    }
    return new KeyUsage(
        period.start(), num(v.get(0)), num(v.get(1)), num(v.get(2)), num(v.get(3)), num(v.get(4)));
  }

  /** Every key of the subject, in the order the scripts expect. */
  List<String> keys(Demand d) {
    String base = prefix + "{" + d.subject() + "}:";
    return List.of(
        base + "rpm", base + "tpm", base + "inflight", spendKey(d.subject(), d.ledgerPeriod()));
  }

  private String spendKey(String subject, BudgetPeriod period) {
    return prefix + "{" + subject + "}:spend:" + period.id();
  }

  private Object run(boolean reserve, List<String> keys, List<String> args) {
    String source = reserve ? RESERVE : SETTLE;
    try {
      String sha = reserve ? reserveSha : settleSha;
      if (sha != null) {
        try {
          return eval(reserve, sha, keys, args);
        } catch (JedisNoScriptException e) {
          // A restarted or failed-over Redis (or another cluster node) lacks the script: load it
          // on the node that holds these keys, below.
        }
      }
      sha = redis.scriptLoad(source, keys.get(0));
      if (reserve) {
        reserveSha = sha;
      } else {
        settleSha = sha;
      }
      return eval(reserve, sha, keys, args);
    } catch (JedisNoScriptException e) {
      throw new StoreUnavailableException("Redis lost the script while failing over", e);
    } catch (JedisDataException e) {
      // A script error is a bug, not an outage: do not fail open on it.
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (message.startsWith("LOADING")
          || message.startsWith("READONLY")
          || message.startsWith("MASTERDOWN")
          || message.startsWith("CLUSTERDOWN")
          || message.startsWith("TRYAGAIN")) {
        throw new StoreUnavailableException("Redis cannot take writes now: " + first(message), e);
      }
      throw e;
    } catch (JedisException e) {
      throw new StoreUnavailableException("Redis could not be reached: " + e.getMessage(), e);
    }
  }

  /**
   * One script call. With replicas to wait for, the script and {@code WAIT} go in one pipeline on
   * one connection ({@code WAIT} counts that connection's writes).
   */
  private Object eval(boolean reserve, String sha, List<String> keys, List<String> args) {
    if (waitReplicas == 0) {
      return redis.evalsha(sha, keys, args);
    }
    Object result;
    long acknowledged;
    try (AbstractPipeline p = redis.pipelined()) {
      Response<Object> r = p.evalsha(sha, keys, args);
      Response<Long> waited = ((Pipeline) p).waitReplicas(waitReplicas, waitMillis);
      p.sync();
      result = r.get();
      acknowledged = waited.get();
    }
    if (acknowledged < waitReplicas && reserve) {
      throw new UnconfirmedWrite(
          "only "
              + acknowledged
              + " of "
              + waitReplicas
              + " Redis replicas confirmed the reservation",
          result);
    }
    return result;
  }

  /** A reservation the master made but its replicas did not confirm in time. */
  private static final class UnconfirmedWrite extends RuntimeException {
    final transient Object result;

    UnconfirmedWrite(String message, Object result) {
      super(message, null, false, false);
      this.result = result;
    }
  }

  private void releaseQuietly(Demand d, String id) {
    long second = Math.floorDiv(d.nowMillis(), 1000);
    try {
      run(false, keys(d), settleArgs(second, d, id, Settlement.released(d.nowMillis())));
    } catch (RuntimeException e) {
      // The reservation's second, lease and period expire by themselves.
    }
  }

  private static String first(String message) {
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }

  private static long reset(long oldestSecond, long nowMillis) {
    return oldestSecond < 0 ? 0 : Math.max(0, (oldestSecond + 60) * 1000 - nowMillis);
  }

  private static long num(Object o) {
    if (o == null) {
      return 0;
    }
    if (o instanceof Long l) {
      return l;
    }
    return Long.parseLong(o.toString());
  }

  private static String script(String name) {
    try (InputStream in = RedisLimitStore.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing script " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read script " + name, e);
    }
  }

  @Override
  public void close() {
    redis.close();
  }

  @Override
  public String toString() {
    return "RedisLimitStore[prefix=" + prefix + "]";
  }
}
