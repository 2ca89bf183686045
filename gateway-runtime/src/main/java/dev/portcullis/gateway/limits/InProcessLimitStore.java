package dev.portcullis.gateway.limits;

import dev.portcullis.gateway.limits.Decision.Refusal;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits of one gateway process, with the same semantics as {@link RedisLimitStore}: the
 * standalone default, and the fallback of a fail-open key when Redis cannot be reached. Each
 * subject's counters sit behind its own lock, so keys never wait on each other.
 *
 * <p>Memory is bounded by the number of subjects (keys and targets in the configuration): windows
 * hold at most 60 buckets, leases expire, and a budget period's counters are dropped when their
 * time to live passes.
 */
public final class InProcessLimitStore implements LimitStore {
  private final Map<String, Subject> subjects = new ConcurrentHashMap<>();

  /** Ticket ids only need to be unique within this process (a random UUID costs far more). */
  private static final AtomicLong TICKETS = new AtomicLong();

  @Override
  public Decision reserve(Demand demand) {
    Subject s = subjects.computeIfAbsent(demand.subject(), k -> new Subject());
    synchronized (s) {
      return s.reserve(demand, this);
    }
  }

  @Override
  public void settle(Ticket ticket, Settlement settlement) {
    Subject s = subjects.computeIfAbsent(ticket.demand().subject(), k -> new Subject());
    synchronized (s) {
      s.settle(ticket, settlement);
    }
  }

  @Override
  public void record(Demand demand, Settlement settlement) {
    Subject s = subjects.computeIfAbsent(demand.subject(), k -> new Subject());
    synchronized (s) {
      s.spend(demand.ledgerPeriod(), settlement.nowMillis()).add(settlement);
    }
  }

  @Override
  public void addUsage(String subject, BudgetPeriod period, CountedUsage usage, long nowMillis) {
    Subject s = subjects.computeIfAbsent(subject, k -> new Subject());
    synchronized (s) {
      s.spend(period, nowMillis).add(usage);
    }
  }

  @Override
  public KeyUsage usage(String subject, BudgetPeriod period) {
    Subject s = subjects.get(subject);
    if (s == null) {
      return new KeyUsage(period.start(), 0, 0, 0, 0, 0);
    }
    synchronized (s) {
      Spend spend = s.spends.get(period.id());
      if (spend == null) {
        return new KeyUsage(period.start(), 0, 0, 0, 0, 0);
      }
      return new KeyUsage(
          period.start(),
          spend.spent,
          spend.reserved,
          spend.requests,
          spend.inputTokens,
          spend.outputTokens);
    }
  }

  @Override
  public void close() {}

  /** Everything counted for one subject; guarded by its own monitor. */
  private static final class Subject {
    final SecondWindow requests = new SecondWindow();
    final SecondWindow tokens = new SecondWindow();
    final Map<String, Long> leases = new HashMap<>();
    final Map<String, Spend> spends = new HashMap<>();

    Decision reserve(Demand d, LimitStore owner) {
      LimitPolicy p = d.policy();
      long now = d.nowMillis();
      long second = Math.floorDiv(now, 1000);
      requests.expire(second);
      tokens.expire(second);
      leases.values().removeIf(expiry -> expiry <= now);
      Spend spend = p.budget() == null && d.costNanos() <= 0 ? null : spend(d.ledgerPeriod(), now);
      long spent = spend == null ? 0 : spend.spent;
      long reserved = spend == null ? 0 : spend.reserved;

      Refusal refusal = Refusal.NONE;
      if (p.limitsConcurrency() && leases.size() >= p.maxConcurrent()) {
        refusal = Refusal.CONCURRENCY;
      } else if (p.limitsRequests() && requests.sum() >= p.requestsPerMinute()) {
        refusal = Refusal.REQUESTS_PER_MINUTE;
      } else if (p.limitsTokens() && tokens.sum() >= p.tokensPerMinute()) {
        refusal = Refusal.TOKENS_PER_MINUTE;
      } else if (p.budget() != null
          && p.budget().block()
          && spent + reserved >= p.budget().amountNanos()) {
        refusal = Refusal.BUDGET;
      }
      boolean budgetReached = p.budget() != null && spent + reserved >= p.budget().amountNanos();
      Ticket ticket = null;
      if (refusal == Refusal.NONE) {
        ticket = new Ticket(d, Long.toString(TICKETS.incrementAndGet()), second, owner);
        if (p.limitsRequests()) {
          requests.add(second, 1);
        }
        if (p.limitsTokens() && d.tokens() > 0) {
          tokens.add(second, d.tokens());
        }
        if (p.limitsConcurrency()) {
          leases.put(ticket.id(), now + d.leaseMillis());
        }
        if (spend != null && d.costNanos() > 0) {
          spend.reserved += d.costNanos();
        }
      }
      Quota quota =
          new Quota(
              p.requestsPerMinute(),
              p.limitsRequests() ? Math.max(0, p.requestsPerMinute() - requests.sum()) : -1,
              requests.resetMillis(now),
              p.tokensPerMinute(),
              p.limitsTokens() ? Math.max(0, p.tokensPerMinute() - tokens.sum()) : -1,
              tokens.resetMillis(now));
      return new Decision(refusal, ticket, quota, budgetReached);
    }

    void settle(Ticket t, Settlement s) {
      LimitPolicy p = t.demand().policy();
      if (p.limitsRequests() && !s.served()) {
        requests.adjust(t.second(), -1);
      }
      if (p.limitsTokens()) {
        long delta = (s.served() ? s.totalTokens() : 0) - t.demand().tokens();
        tokens.adjust(t.second(), delta);
      }
      leases.remove(t.id());
      Spend spend = spend(t.demand().ledgerPeriod(), s.nowMillis());
      spend.reserved -= Math.max(0, t.demand().costNanos());
      spend.add(s);
    }

    Spend spend(BudgetPeriod period, long nowMillis) {
      spends.values().removeIf(sp -> sp.expiresAtMillis <= nowMillis);
      Spend spend = spends.computeIfAbsent(period.id(), id -> new Spend());
      spend.expiresAtMillis = nowMillis + period.ttlSeconds(Instant.ofEpochMilli(nowMillis)) * 1000;
      return spend;
    }
  }

  /**
   * Per-second counts of the last 60 seconds: a ring of 60 slots, each holding the second it
   * counts, so nothing is allocated or boxed per request.
   */
  private static final class SecondWindow {
    private static final int SECONDS = 60;
    private final long[] seconds = new long[SECONDS];
    private final long[] counts = new long[SECONDS];

    SecondWindow() {
      Arrays.fill(seconds, Long.MIN_VALUE);
    }

    private static int slot(long second) {
      return (int) Math.floorMod(second, (long) SECONDS);
    }

    /** Drops the seconds that left the window. */
    void expire(long nowSecond) {
      for (int i = 0; i < SECONDS; i++) {
        if (seconds[i] != Long.MIN_VALUE && seconds[i] <= nowSecond - SECONDS) {
          seconds[i] = Long.MIN_VALUE;
          counts[i] = 0;
        }
      }
    }

    long sum() {
      long sum = 0;
      for (int i = 0; i < SECONDS; i++) {
        if (seconds[i] != Long.MIN_VALUE) {
          sum += counts[i];
        }
      }
      return sum;
    }

    void add(long second, long amount) {
      int i = slot(second);
      if (seconds[i] != second) {
        seconds[i] = second; // the slot's previous second is at least a window old
        counts[i] = 0;
      }
      counts[i] += amount;
    }

    /** Changes a bucket only while it is still in the window (an aged-out one no longer counts). */
    void adjust(long second, long delta) {
      int i = slot(second);
      if (seconds[i] == second) {
        counts[i] += delta;
      }
    }

    /** Milliseconds until the oldest non-empty bucket leaves the window; 0 when empty. */
    long resetMillis(long nowMillis) {
      long oldest = Long.MAX_VALUE;
      for (int i = 0; i < SECONDS; i++) {
        if (seconds[i] != Long.MIN_VALUE && counts[i] > 0 && seconds[i] < oldest) {
          oldest = seconds[i];
        }
      }
      return oldest == Long.MAX_VALUE ? 0 : Math.max(0, (oldest + 60) * 1000 - nowMillis);
    }
  }

  /** A budget period's counters, all in nano-USD or tokens. */
  private static final class Spend {
    long spent;
    long reserved;
    long requests;
    long inputTokens;
    long outputTokens;
    long expiresAtMillis;

    void add(Settlement s) {
      if (s.served()) {
        spent += s.costNanos();
        requests++;
        inputTokens += s.inputTokens();
        outputTokens += s.outputTokens();
      }
    }

    void add(CountedUsage u) {
      spent += u.costNanos();
      requests += u.requests();
      inputTokens += u.inputTokens();
      outputTokens += u.outputTokens();
    }
  }
}
