package dev.portcullis.gateway.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The response cache's own meters, read at scrape time from its counters (nothing is added to the
 * request path). Every label value is a constant: the route's mode and the cache's answer. What a
 * cache saved per namespace, key and route is counted with the request's record ({@code
 * portcullis_cache_requests_total}, {@code portcullis_cache_savings_usd_total}, {@code
 * portcullis_cache_saved_tokens_total}).
 */
public final class CacheMeters {
  private CacheMeters() {}

  /** Registers the meters of {@code cache} in {@code registry}. */
  public static void bind(ResponseCache cache, MeterRegistry registry) {
    LookupCounters lookups = cache.lookups();
    for (LookupCounters.Mode mode : LookupCounters.Mode.values()) {
      for (CacheStatus status : CacheStatus.values()) {
        if (mode == LookupCounters.Mode.EXACT && status == CacheStatus.SEMANTIC_HIT) {
          continue;
        }
        FunctionCounter.builder("portcullis.cache.lookups", lookups, l -> l.lookups(mode, status))
            .description(
                "Cache lookups by the route's cache mode and the x-portcullis-cache answer")
            .tag("mode", mode.label())
            .tag("result", status.name().toLowerCase(java.util.Locale.ROOT))
            .register(registry);
      }
    }
    FunctionCounter.builder(
            "portcullis.cache.embedding.failures", lookups, LookupCounters::embeddingFailures)
        .description("Semantic lookups whose embedding failed (looked up exactly only)")
        .register(registry);
    FunctionCounter.builder(
            "portcullis.cache.embeddings.shed", lookups, LookupCounters::embeddingsShed)
        .description(
            "Semantic lookups not embedded because the embedding queue was full (exact only)")
        .register(registry);
    CacheStore store = cache.store();
    CacheCounters counters = store.counters();
    FunctionCounter.builder("portcullis.cache.stores", counters, c -> c.snapshot().stores())
        .description("Answers written to the cache")
        .register(registry);
    FunctionCounter.builder(
            "portcullis.cache.store.errors", counters, c -> c.snapshot().unavailable())
        .description(
            "Cache reads and writes that could not reach the store (the request went upstream)")
        .register(registry);
    FunctionCounter.builder("portcullis.cache.too.large", counters, c -> c.snapshot().tooLarge())
        .description("Answers not cached because they exceed the maximum entry size")
        .register(registry);
    FunctionCounter.builder("portcullis.cache.evictions", counters, c -> c.snapshot().evictions())
        .description(
            "Entries the in-process cache dropped before their TTL to stay within its size")
        .register(registry);
    if (store.bytesHeld() >= 0) {
      Gauge.builder("portcullis.cache.size", store, CacheStore::bytesHeld)
          .description("Bytes the in-process cache holds")
          .baseUnit("bytes")
          .strongReference(true)
          .register(registry);
    }
  }
}
