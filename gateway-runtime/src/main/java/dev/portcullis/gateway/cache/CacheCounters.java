package dev.portcullis.gateway.cache;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what a cache store did, cheap to bump from many threads. The telemetry work turns them
 * into metrics ({@link #snapshot()}).
 */
public final class CacheCounters {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder stores = new LongAdder();
  private final LongAdder tooLarge = new LongAdder();
  private final LongAdder unavailable = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  void stored() {
    stores.increment();
  }

  void tooLarge() {
    tooLarge.increment();
  }

  /** A lookup or store that could not reach the store (counted once per operation). */
  void unavailable() {
    unavailable.increment();
  }

  /** An entry removed before its TTL to keep the store within its size. */
  void evicted() {
    evictions.increment();
  }

  /** The counts now. */
  public Snapshot snapshot() {
    return new Snapshot(
        hits.sum(), misses.sum(), stores.sum(), tooLarge.sum(), unavailable.sum(), evictions.sum());
  }

  /**
   * @param hits lookups that found an entry
   * @param misses lookups that found none (including those that failed)
   * @param stores entries written
   * @param tooLarge entries not written because they exceed the maximum entry size
   * @param unavailable lookups and writes that failed because the store could not be reached
   * @param evictions entries removed before their TTL to stay within the size bound (in-process
   *     store; Redis evicts by its own {@code maxmemory} policy, not counted here)
   */
  public record Snapshot(
      long hits, long misses, long stores, long tooLarge, long unavailable, long evictions) {}
}
