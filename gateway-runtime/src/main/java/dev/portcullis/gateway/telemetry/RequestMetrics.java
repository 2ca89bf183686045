package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.telemetry.LabelCatalog.KeySeries;
import dev.portcullis.gateway.telemetry.LabelCatalog.RouteSeries;
import dev.portcullis.gateway.telemetry.LabelCatalog.TargetSeries;
import dev.portcullis.gateway.telemetry.LabelCatalog.VerdictSeries;
import dev.portcullis.gateway.telemetry.SeriesMeters.Slot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Turns finished {@link RequestRecord}s into the GenAI histograms and the {@code portcullis_*}
 * request counters. Labels come from the {@link LabelCatalog} of the applied snapshot; when a new
 * snapshot is applied, the series of routes, keys, targets and models it no longer names are
 * removed, so a long-running gateway does not accumulate the series of old configurations.
 */
final class RequestMetrics {
  /**
   * Error types are code constants; the cap only guards against a bug that makes them unbounded.
   */
  static final int MAX_ERROR_TYPES = 64;

  private static final Pattern ERROR_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final String[] STATUS_LABELS = new String[600];

  static {
    for (int i = 100; i < STATUS_LABELS.length; i++) {
      STATUS_LABELS[i] = Integer.toString(i);
    }
  }

  private final MeterRegistry registry;
  private final Map<String, String> errorTypes = new ConcurrentHashMap<>();
  private volatile LabelCatalog catalog = LabelCatalog.empty();

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Starts labelling by {@code snapshot} and drops the series it no longer names. */
  void configurationApplied(Snapshot snapshot) {
    LabelCatalog next = LabelCatalog.of(snapshot);
    catalog = next;
    for (Meter meter : registry.getMeters()) {
      if (stale(meter.getId(), next)) {
        registry.remove(meter);
      }
    }
  }

  private static boolean stale(Meter.Id id, LabelCatalog catalog) {
    String name = id.getName();
    if (!name.startsWith("portcullis.") && !name.startsWith("gen_ai.")) {
      return false;
    }
    String route = id.getTag(Labels.ROUTE);
    String key = id.getTag(Labels.KEY);
    String target = id.getTag(Labels.TARGET);
    String requestModel = id.getTag(Labels.GEN_AI_REQUEST_MODEL);
    String responseModel = id.getTag(Labels.GEN_AI_RESPONSE_MODEL);
    String provider = id.getTag(Labels.GEN_AI_PROVIDER);
    String policy = id.getTag("policy");
    return (route != null && !catalog.namesRoute(route))
        || (key != null && !catalog.namesKey(id.getTag(Labels.NAMESPACE), key))
        || (target != null && !catalog.namesTarget(target))
        || (requestModel != null && !catalog.namesRequestModel(requestModel))
        || (responseModel != null && !catalog.namesResponseModel(responseModel))
        || (provider != null && !catalog.namesProvider(provider))
        || (policy != null && !catalog.namesPolicy(policy));
  }

  void record(RequestRecord r) {
    LabelCatalog c = catalog;
    RouteSeries route = c.route(r.route());
    SeriesMeters series = series(c.key(r.key()), route, c.target(r.target()));
    series.requests(r.status()).increment();
    add(series, Slot.COST, r.costNanos() / 1e9);
    add(series, Slot.TOKENS_INPUT, r.inputTokens());
    add(series, Slot.TOKENS_OUTPUT, r.outputTokens());
    add(series, Slot.TOKENS_CACHED_INPUT, r.cachedInputTokens());
    add(series, Slot.RETRIES, r.retries());
    add(series, Slot.FALLBACKS, r.fallbacks());
    add(series, Slot.HEDGES, r.hedges());
    Slot cache = cacheSlot(r.cacheStatus());
    if (cache != null) {
      series.counter(cache).increment();
      add(series, Slot.CACHE_SAVINGS, r.cacheSavedNanos() / 1e9);
      add(series, Slot.CACHE_SAVED_INPUT, r.cacheSavedInputTokens());
      add(series, Slot.CACHE_SAVED_OUTPUT, r.cacheSavedOutputTokens());
    }
    Slot refusal = refusalSlot(r);
    if (refusal != null) {
      series.counter(refusal).increment();
    }
    for (int i = 0; i < r.guardrailVerdicts().size(); i++) {
      verdictCounter(c.verdict(r.guardrailVerdicts().get(i))).increment();
    }

    if (r.operation() == null) {
      return; // answered by the HTTP layer without a GenAI operation (model list, unknown URL)
    }
    GenAiMeters genAi =
        genAi(
            c,
            c.provider(r.target()),
            LabelCatalog.requestModel(route, r.requestModel()),
            c.responseModel(r.responseModel()),
            r.operation());
    genAi.duration(errorLabel(r)).record(r.durationNanos(), TimeUnit.NANOSECONDS);
    if (!r.succeeded()) {
      return;
    }
    long ttft = r.timeToFirstTokenNanos();
    if (ttft >= 0) {
      genAi.timeToFirstToken().record(ttft, TimeUnit.NANOSECONDS);
      if (r.streamed() && r.outputTokens() > 1) {
        long afterFirst = Math.max(0, r.endNanos() - r.firstTokenNanos());
        genAi
            .timePerOutputToken()
            .record(afterFirst / (r.outputTokens() - 1), TimeUnit.NANOSECONDS);
      }
    }
    if (r.inputTokens() > 0) {
      genAi.inputTokens().record(r.inputTokens());
    }
    if (r.outputTokens() > 0) {
      genAi.outputTokens().record(r.outputTokens());
    }
  }

  private static void add(SeriesMeters series, Slot slot, double amount) {
    if (amount > 0) {
      series.counter(slot).increment(amount);
    }
  }

  private SeriesMeters series(KeySeries key, RouteSeries route, TargetSeries target) {
    Map<TargetSeries, SeriesMeters> byTarget = key.meters.get(route);
    if (byTarget == null) {
      byTarget = key.meters.computeIfAbsent(route, r -> new ConcurrentHashMap<>());
    }
    SeriesMeters meters = byTarget.get(target);
    if (meters == null) {
      meters =
          byTarget.computeIfAbsent(
              target,
              t -> new SeriesMeters(registry, key.namespace, key.name, route.label, t.label));
    }
    return meters;
  }

  private GenAiMeters genAi(
      LabelCatalog c,
      String provider,
      String requestModel,
      String responseModel,
      GenAiOperation operation) {
    Map<String, Map<String, GenAiMeters[]>> byRequest = c.genAi.get(provider);
    if (byRequest == null) {
      byRequest = c.genAi.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
    }
    Map<String, GenAiMeters[]> byResponse = byRequest.get(requestModel);
    if (byResponse == null) {
      byResponse = byRequest.computeIfAbsent(requestModel, m -> new ConcurrentHashMap<>());
    }
    GenAiMeters[] byOperation = byResponse.get(responseModel);
    if (byOperation == null) {
      byOperation =
          byResponse.computeIfAbsent(
              responseModel, m -> new GenAiMeters[GenAiOperation.values().length + 1]);
    }
    int slot = operation == null ? 0 : operation.ordinal() + 1;
    GenAiMeters meters = byOperation[slot];
    if (meters == null) {
      // A race registers the same meters twice; Micrometer hands back the existing ones.
      meters =
          new GenAiMeters(
              registry,
              operation == null ? Labels.NONE : operation.value(),
              provider,
              requestModel,
              responseModel);
      byOperation[slot] = meters;
    }
    return meters;
  }

  private Counter verdictCounter(VerdictSeries verdict) {
    Meter counter = verdict.counter;
    if (counter == null) {
      counter =
          Counter.builder("portcullis.guardrail.verdicts")
              .description("Guardrail checks that flagged, redacted or denied a request")
              .tag("action", verdict.action)
              .tag("policy", verdict.policy)
              .tag("check", verdict.check)
              .register(registry);
      verdict.counter = counter;
    }
    return (Counter) counter;
  }

  /** The {@code error.type} label: none on success, else the record's type, else the status. */
  private String errorLabel(RequestRecord r) {
    String type = r.errorType();
    if (type == null) {
      if (r.succeeded()) {
        return Labels.NONE;
      }
      int status = r.status();
      return status >= 100 && status < 600 ? STATUS_LABELS[status] : Labels.OTHER;
    }
    String known = errorTypes.get(type);
    if (known != null) {
      return known;
    }
    if (errorTypes.size() >= MAX_ERROR_TYPES || !ERROR_TYPE.matcher(type).matches()) {
      return Labels.OTHER;
    }
    String previous = errorTypes.putIfAbsent(type, type);
    return previous == null ? type : previous;
  }

  private static Slot cacheSlot(String status) {
    if (status == null) {
      return null;
    }
    return switch (status) {
      case "HIT" -> Slot.CACHE_HIT;
      case "SEMANTIC_HIT" -> Slot.CACHE_SEMANTIC_HIT;
      case "MISS" -> Slot.CACHE_MISS;
      case "BYPASS" -> Slot.CACHE_BYPASS;
      case "REFRESH" -> Slot.CACHE_REFRESH;
      default -> Slot.CACHE_OTHER;
    };
  }

  private static Slot refusalSlot(RequestRecord r) {
    return switch (r.limitRefusal()) {
      case NONE -> null;
      case REQUESTS_PER_MINUTE -> Slot.REFUSED_REQUESTS;
      case TOKENS_PER_MINUTE -> Slot.REFUSED_TOKENS;
      case CONCURRENCY -> Slot.REFUSED_CONCURRENCY;
      case BUDGET -> Slot.REFUSED_BUDGET;
    };
  }
}
