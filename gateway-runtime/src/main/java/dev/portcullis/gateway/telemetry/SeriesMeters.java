package dev.portcullis.gateway.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@code portcullis_*} counters of one (namespace, key, route, target), each registered the
 * first time it counts something, so a combination shows only the series it has used. Lookups after
 * the first are an array read.
 */
final class SeriesMeters {
  /** A counter of this series: its metric name and the one extra label that tells it apart. */
  enum Slot {
    COST("portcullis.cost.usd", null, null, "What requests cost, in USD"),
    TOKENS_INPUT("portcullis.tokens", "type", "input", "Tokens used by requests"),
    TOKENS_OUTPUT("portcullis.tokens", "type", "output", "Tokens used by requests"),
    TOKENS_CACHED_INPUT("portcullis.tokens", "type", "cached_input", "Tokens used by requests"),
    RETRIES("portcullis.retries", null, null, "Upstream attempts repeated at the same target"),
    FALLBACKS("portcullis.fallbacks", null, null, "Targets tried after an earlier one failed"),
    HEDGES("portcullis.hedges", null, null, "Targets raced because an earlier one was slow"),
    CACHE_HIT("portcullis.cache.requests", "cache", "hit", "Requests by cache outcome"),
    CACHE_SEMANTIC_HIT(
        "portcullis.cache.requests", "cache", "semantic_hit", "Requests by cache outcome"),
    CACHE_MISS("portcullis.cache.requests", "cache", "miss", "Requests by cache outcome"),
    CACHE_BYPASS("portcullis.cache.requests", "cache", "bypass", "Requests by cache outcome"),
    CACHE_REFRESH("portcullis.cache.requests", "cache", "refresh", "Requests by cache outcome"),
    CACHE_OTHER("portcullis.cache.requests", "cache", Labels.OTHER, "Requests by cache outcome"),
    CACHE_SAVINGS("portcullis.cache.savings.usd", null, null, "What cached answers saved, in USD"),
    CACHE_SAVED_INPUT(
        "portcullis.cache.saved.tokens",
        "type",
        "input",
        "Tokens cached answers did not spend upstream"),
    CACHE_SAVED_OUTPUT(
        "portcullis.cache.saved.tokens",
        "type",
        "output",
        "Tokens cached answers did not spend upstream"),
    REFUSED_REQUESTS(
        "portcullis.limit.refusals",
        "limit",
        "requests_per_minute",
        "Requests refused by a key's rate limit or budget"),
    REFUSED_TOKENS(
        "portcullis.limit.refusals",
        "limit",
        "tokens_per_minute",
        "Requests refused by a key's rate limit or budget"),
    REFUSED_CONCURRENCY(
        "portcullis.limit.refusals",
        "limit",
        "concurrency",
        "Requests refused by a key's rate limit or budget"),
    REFUSED_BUDGET(
        "portcullis.limit.refusals",
        "limit",
        "budget",
        "Requests refused by a key's rate limit or budget");

    final String metric;
    final String label;
    final String value;
    final String description;

    Slot(String metric, String label, String value, String description) {
      this.metric = metric;
      this.label = label;
      this.value = value;
      this.description = description;
    }
  }

  private static final Slot[] SLOTS = Slot.values();

  private final MeterRegistry registry;
  private final Tags tags;
  private final AtomicReferenceArray<Counter> counters = new AtomicReferenceArray<>(SLOTS.length);
  private volatile int[] statusCodes = new int[0];
  private volatile Counter[] statusCounters = new Counter[0];

  SeriesMeters(MeterRegistry registry, String namespace, String key, String route, String target) {
    this.registry = registry;
    this.tags =
        Tags.of(
            Labels.NAMESPACE,
            namespace,
            Labels.KEY,
            key,
            Labels.ROUTE,
            route,
            Labels.TARGET,
            target);
  }

  Counter counter(Slot slot) {
    Counter c = counters.get(slot.ordinal());
    if (c == null) {
      Counter.Builder builder =
          Counter.builder(slot.metric).description(slot.description).tags(tags);
      if (slot.label != null) {
        builder.tag(slot.label, slot.value);
      }
      c = builder.register(registry);
      counters.set(slot.ordinal(), c);
    }
    return c;
  }

  /** {@code portcullis_requests_total} for one status; statuses outside 100–599 are one series. */
  Counter requests(int status) {
    int[] codes = statusCodes;
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] == status) {
        return statusCounters[i];
      }
    }
    return registerStatus(status);
  }

  private synchronized Counter registerStatus(int status) {
    int[] codes = statusCodes;
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] == status) {
        return statusCounters[i];
      }
    }
    String label = status >= 100 && status <= 599 ? Integer.toString(status) : Labels.OTHER;
    Counter c =
        Counter.builder("portcullis.requests")
            .description("Requests by the status the caller got")
            .tags(tags)
            .tag(Labels.STATUS, label)
            .register(registry);
    int[] nextCodes = java.util.Arrays.copyOf(codes, codes.length + 1);
    Counter[] nextCounters = java.util.Arrays.copyOf(statusCounters, codes.length + 1);
    nextCodes[codes.length] = status;
    nextCounters[codes.length] = c;
    // Counters first: a reader that sees the new codes must find the counter beside it.
    statusCounters = nextCounters;
    statusCodes = nextCodes;
    return c;
  }
}
