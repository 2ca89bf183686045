package dev.portcullis.gateway.fake;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests per scenario for {@code fail-times=N}: the first N requests of a scenario get the
 * fault, later ones succeed. Lets retry tests see "fails twice, then works".
 */
final class FailureBudget {
  static final String DEFAULT_SCENARIO = "default";

  private final ConcurrentHashMap<String, AtomicInteger> seen = new ConcurrentHashMap<>();

  /** Counts this request and says whether it is still among the first {@code failTimes}. */
  boolean shouldFail(String scenario, int failTimes) {
    String key = scenario == null || scenario.isEmpty() ? DEFAULT_SCENARIO : scenario;
    return seen.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() <= failTimes;
  }

  void reset() {
    seen.clear();
  }
}
