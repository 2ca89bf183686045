package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig.CooldownConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;

/**
 * One target's cooldown ({@code spec.cooldown}): after {@code failures} failed attempts within
 * {@code window} the target is skipped for {@code duration}; then exactly one request is let
 * through as a probe. The probe's success closes the breaker, its failure opens it for another
 * {@code duration}. Each change of state is logged once.
 */
public final class CircuitBreaker {
  private static final Logger LOG = Logger.getLogger(CircuitBreaker.class.getName());

  /** Where the breaker stands. */
  public enum State {
    CLOSED,
    OPEN,
    PROBING
  }

  private final TargetKey target;
  private final Clock clock;
  private final Deque<Long> failures = new ArrayDeque<>();
  private State state = State.CLOSED;
  private long openUntil;

  CircuitBreaker(TargetKey target, Clock clock) {
    this.target = target;
    this.clock = clock;
  }

  public synchronized State state() {
    return state;
  }

  /** Whether a request could be sent now (closed, or open with its cooldown over). */
  public synchronized boolean available() {
    return switch (state) {
      case CLOSED -> true;
      case OPEN -> clock.millis() >= openUntil;
      case PROBING -> false;
    };
  }

  /** Milliseconds until the target may be probed; 0 when it is available. */
  public synchronized long millisUntilAvailable() {
    return state == State.OPEN ? Math.max(0, openUntil - clock.millis()) : 0;
  }

  /**
   * Takes permission to send one request: always while closed; once the cooldown is over, exactly
   * one caller gets it (the probe) until the probe's outcome is known.
   */
  public synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (clock.millis() < openUntil) {
          return false;
        }
        state = State.PROBING;
        LOG.info(() -> "target " + target + ": cooldown over, sending one probe request");
        return true;
      default:
        return false;
    }
  }

  /** Gives back a permission that was not used (nothing was sent). */
  public synchronized void release() {
    if (state == State.PROBING) {
      state = State.OPEN;
      openUntil = clock.millis();
    }
  }

  public synchronized void success() {
    if (state == State.PROBING) {
      state = State.CLOSED;
      failures.clear();
      LOG.info(() -> "target " + target + ": probe succeeded, back in rotation");
    }
  }

  public synchronized void failure(CooldownConfig config) {
    long now = clock.millis();
    if (state == State.PROBING) {
      open(now, config, "probe failed");
      return;
    }
    if (state == State.OPEN) {
      return;
    }
    failures.addLast(now);
    long windowStart = now - config.window().toMillis();
    while (!failures.isEmpty() && failures.peekFirst() <= windowStart) {
      failures.removeFirst();
    }
    if (failures.size() >= config.failures()) {
      open(now, config, failures.size() + " failures within " + describe(config.window()));
    }
  }

  private void open(long now, CooldownConfig config, String why) {
    state = State.OPEN;
    openUntil = now + config.duration().toMillis();
    failures.clear();
    LOG.warning(
        () -> "target " + target + ": " + why + ", skipping it for " + describe(config.duration()));
  }

  private static String describe(Duration d) {
    return dev.portcullis.api.Durations.format(d);
  }
}
