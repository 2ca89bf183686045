package dev.portcullis.gateway.routing;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The circuit breaker of every target, kept across snapshots like {@link Scoreboard}. */
public final class Cooldowns {
  private final Clock clock;
  private final Map<TargetKey, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  public Cooldowns(Clock clock) {
    this.clock = clock;
  }

  public CircuitBreaker of(TargetKey key) {
    return breakers.computeIfAbsent(key, k -> new CircuitBreaker(k, clock));
  }

  /** Whether the target is held back now (open or probing); read-only, for metrics. */
  public boolean coolingDown(TargetKey key) {
    CircuitBreaker breaker = breakers.get(key);
    return breaker != null && breaker.state() != CircuitBreaker.State.CLOSED;
  }
}
