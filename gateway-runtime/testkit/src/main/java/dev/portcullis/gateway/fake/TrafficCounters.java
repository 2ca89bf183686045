package dev.portcullis.gateway.fake;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What the fake has seen since it started or was last reset. Thread-safe and cheap. */
final class TrafficCounters {
  private final AtomicLong requests = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();

  // Connection objects seen so far, held weakly so closed connections fall out on their own.
  private final Set<Object> knownConnections =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  void requestStarted() {
    requests.incrementAndGet();
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
  }

  void requestFinished() {
    inFlight.decrementAndGet();
  }

  /** Called for every request with its connection; counts each connection once. */
  void sawConnection(Object connection) {
    if (knownConnections.add(connection)) {
      connections.incrementAndGet();
    }
  }

  void streamCancelled() {
    cancelled.incrementAndGet();
  }

  long requests() {
    return requests.get();
  }

  int inFlight() {
    return inFlight.get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  long connections() {
    return connections.get();
  }

  long cancelled() {
    return cancelled.get();
  }

  /**
   * Zeroes the counters. In-flight requests keep counting down, so the in-flight gauge stays right;
   * the maximum restarts from the current level.
   */
  void reset() {
    requests.set(0);
    maxInFlight.set(inFlight.get());
    connections.set(0);
    cancelled.set(0);
    knownConnections.clear();
  }
}
