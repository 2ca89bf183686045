package dev.portcullis.gateway.routing;

import java.time.Clock;
import java.time.Duration;

/**
 * Caps a route's retries (and hedges) at a share of its requests over a sliding window, so that
 * during an outage retries cannot multiply the load on the failing upstream: with ratio 0.2 at most
 * one extra attempt per five requests, plus a small floor so that a quiet route can still retry.
 * Counted in one-second buckets.
 */
public final class RetryBudget {
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  public static final double DEFAULT_RATIO = 0.2;
  public static final int DEFAULT_MIN_RETRIES = 5;

  private final Clock clock;
  private final double ratio;
  private final int minRetries;
  private final long[] requests;
  private final long[] retries;
  private final long[] bucketSecond;

  public RetryBudget(Clock clock, Duration window, double ratio, int minRetries) {
    this.clock = clock;
    this.ratio = ratio;
    this.minRetries = minRetries;
    int buckets = (int) Math.max(1, window.toSeconds());
    this.requests = new long[buckets];
    this.retries = new long[buckets];
    this.bucketSecond = new long[buckets];
  }

  public static RetryBudget standard(Clock clock) {
    return new RetryBudget(clock, DEFAULT_WINDOW, DEFAULT_RATIO, DEFAULT_MIN_RETRIES);
  }

  /** Counts a request to the route. */
  public synchronized void request() {
    requests[bucket()]++;
  }

  /** Takes one retry from the budget; false when the budget is spent (do not retry). */
  public synchronized boolean tryRetry() {
    int current = bucket();
    long windowRequests = 0;
    long windowRetries = 0;
    for (int i = 0; i < requests.length; i++) {
      windowRequests += requests[i];
      windowRetries += retries[i];
    }
    if (windowRetries >= Math.max(minRetries, ratio * windowRequests)) {
      return false;
    }
    retries[current]++;
    return true;
  }

  /** The bucket of the current second, cleared if it last held an older second. */
  private int bucket() {
    long second = Math.floorDiv(clock.millis(), 1000);
    int i = (int) Math.floorMod(second, (long) requests.length);
    if (bucketSecond[i] != second) {
      bucketSecond[i] = second;
      requests[i] = 0;
      retries[i] = 0;
    }
    // Buckets of seconds that saw no traffic still hold counts from a whole window ago.
    for (int j = 0; j < requests.length; j++) {
      if (second - bucketSecond[j] >= requests.length) {
        requests[j] = 0;
        retries[j] = 0;
      }
    }
    return i;
  }
}
