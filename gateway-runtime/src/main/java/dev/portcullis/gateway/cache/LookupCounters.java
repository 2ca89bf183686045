package dev.portcullis.gateway.cache;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the response cache answered, by the route's mode ({@code exact} or {@code semantic}) and the
 * {@code x-portcullis-cache} value, plus embeddings that failed or were shed because the embedding
 * queue was full (the request was then looked up exactly only). Counted by {@link
 * ResponseCache#lookup}; read at scrape time by {@link CacheMeters}.
 */
public final class LookupCounters {
  /** The mode label of a route's policy. */
  public enum Mode {
    EXACT("exact"),
    SEMANTIC("semantic");

    private final String label;

    Mode(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    static Mode of(CachePolicy policy) {
      return policy.semantic() ? SEMANTIC : EXACT;
    }
  }

  private final LongAdder[] lookups =
      new LongAdder[Mode.values().length * CacheStatus.values().length];
  private final LongAdder embeddingFailures = new LongAdder();
  private final LongAdder embeddingsShed = new LongAdder();

  LookupCounters() {
    for (int i = 0; i < lookups.length; i++) {
      lookups[i] = new LongAdder();
    }
  }

  void count(Mode mode, CacheStatus status) {
    lookups[slot(mode, status)].increment();
  }

  void embeddingFailed() {
    embeddingFailures.increment();
  }

  void embeddingShed() {
    embeddingsShed.increment();
  }

  /** Lookups of routes of {@code mode} that answered {@code status}. */
  public long lookups(Mode mode, CacheStatus status) {
    return lookups[slot(mode, status)].sum();
  }

  /** Semantic lookups whose embedding failed (they were looked up exactly only). */
  public long embeddingFailures() {
    return embeddingFailures.sum();
  }

  /** Semantic lookups not embedded because the embedding queue was full (exact only). */
  public long embeddingsShed() {
    return embeddingsShed.sum();
  }

  private static int slot(Mode mode, CacheStatus status) {
    return mode.ordinal() * CacheStatus.values().length + status.ordinal();
  }
}
