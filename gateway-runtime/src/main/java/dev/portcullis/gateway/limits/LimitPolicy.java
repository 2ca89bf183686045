package dev.portcullis.gateway.limits;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.TargetConfig;

/**
 * The limits one subject (a virtual key or a route target) is held to. A negative value means
 * unlimited, which is how the Lua scripts read it too.
 *
 * @param requestsPerMinute requests in any 60-second window
 * @param tokensPerMinute input + output tokens in any 60-second window
 * @param maxConcurrent requests in flight at once
 * @param budget spend budget, or null
 */
public record LimitPolicy(
    long requestsPerMinute, long tokensPerMinute, long maxConcurrent, BudgetPolicy budget) {

  public static final LimitPolicy UNLIMITED = new LimitPolicy(-1, -1, -1, null);

  public static LimitPolicy of(KeyConfig key) {
    KeyConfig.Limits l = key.limits() == null ? KeyConfig.Limits.NONE : key.limits();
    return new LimitPolicy(
        orUnlimited(l.requestsPerMinute()),
        orUnlimited(l.tokensPerMinute()),
        orUnlimited(l.maxConcurrent()),
        key.budget() == null ? null : BudgetPolicy.of(key.budget()));
  }

  public static LimitPolicy of(TargetConfig.Limits limits) {
    if (limits == null) {
      return UNLIMITED;
    }
    return new LimitPolicy(
        orUnlimited(limits.requestsPerMinute()), orUnlimited(limits.tokensPerMinute()), -1, null);
  }

  private static long orUnlimited(Integer value) {
    return value == null ? -1 : value;
  }

  public boolean limitsRequests() {
    return requestsPerMinute >= 0;
  }

  public boolean limitsTokens() {
    return tokensPerMinute >= 0;
  }

  public boolean limitsConcurrency() {
    return maxConcurrent >= 0;
  }

  /** Whether anything must be checked before a call (else only usage is recorded afterwards). */
  public boolean checksAnything() {
    return limitsRequests() || limitsTokens() || limitsConcurrency() || budget != null;
  }
}
