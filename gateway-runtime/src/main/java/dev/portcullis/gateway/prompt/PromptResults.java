package dev.portcullis.gateway.prompt;

import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.cost.UsdAmount;
import dev.portcullis.gateway.provider.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Results per template and version, so an A/B rollout can be judged: requests, errors, tokens, cost
 * and latency. The pipeline records each prompt request when it completes; the usage reporter takes
 * the versions that changed and sends their {@link PromptVersionTotals}.
 *
 * <p>Counts are this process's own, kept in {@link LongAdder}s: recording is a map lookup and a few
 * additions, without locks, and never touches Redis. They are kept only for the templates and
 * versions the applied snapshot serves ({@link #retainServed}): a template deleted and re-created
 * with the same name (even between two snapshots: counts are kept per {@code metadata.uid}), or a
 * version removed and added again, starts from zero, as the operator's figures of it do.
 *
 * <p>An {@link Observer} (the gateway's metrics) hears of each version when it counts its first
 * request and when it is forgotten, and reads the same counts ({@link VersionCounts}).
 */
public final class PromptResults {
  /**
   * How one request served with a version ended.
   *
   * @param failed whether it ended in an error (upstream failure, denied output, timeout, …)
   * @param usage the tokens it consumed, {@link Usage#ZERO} if none
   * @param costNanos its cost in nano-USD
   * @param latency from receiving the request to the end of the answer
   */
  public record Outcome(boolean failed, Usage usage, long costNanos, Duration latency) {
    public Outcome {
      Objects.requireNonNull(usage, "usage");
      Objects.requireNonNull(latency, "latency");
    }
  }

  /** A version of one template resource; {@code uid} null where the snapshot names none. */
  private record VersionKey(String template, String uid, String version) {}

  /** One version's counts since this process started serving it; read at any time. */
  public static final class VersionCounts {
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder inputTokens = new LongAdder();
    final LongAdder outputTokens = new LongAdder();
    final LongAdder costNanos = new LongAdder();
    final LongAdder latencyMillis = new LongAdder();
    final LongAdder latencyCount = new LongAdder();

    public long requests() {
      return requests.sum();
    }

    public long errors() {
      return errors.sum();
    }

    public long inputTokens() {
      return inputTokens.sum();
    }

    public long outputTokens() {
      return outputTokens.sum();
    }

    /** Their cost in USD (as a double, for metrics; reports carry the exact decimal). */
    public double costUsd() {
      return costNanos.sum() / 1e9;
    }

    /** The sum of their latencies in milliseconds. */
    public double latencyMillis() {
      return latencyMillis.sum();
    }

    public long latencyCount() {
      return latencyCount.sum();
    }
  }

  /** Hears which versions are counted, to show their counts elsewhere (metrics). */
  public interface Observer {
    /**
     * {@code version} of {@code template} counts its first request; called once, on that thread.
     */
    void counting(String template, String version, VersionCounts counts);

    /** Its counts were forgotten: the applied snapshot no longer serves it. */
    void forgotten(String template, String version);
  }

  private static final Observer NOBODY =
      new Observer() {
        @Override
        public void counting(String template, String version, VersionCounts counts) {}

        @Override
        public void forgotten(String template, String version) {}
      };

  private final Map<VersionKey, VersionCounts> counters = new ConcurrentHashMap<>();
  private final Set<VersionKey> changed = ConcurrentHashMap.newKeySet();
  private volatile Observer observer = NOBODY;
  // The versions the applied snapshot serves; null until one is applied (everything counts).
  private volatile Set<VersionKey> served;

  /**
   * From now on {@code observer} hears of every version counted (of those counted so far at once).
   */
  public void observe(Observer observer) {
    this.observer = observer;
    counters.forEach((key, counts) -> observer.counting(key.template(), key.version(), counts));
  }

  /** Records a request served with {@code prompt}'s template and version. */
  public void record(RenderedPrompt prompt, Outcome outcome) {
    record(new VersionKey(prompt.template(), prompt.uid(), prompt.version()), outcome);
  }

  /**
   * Records a request served with {@code version} of {@code template} ({@code namespace/name}), a
   * template without a uid.
   */
  public void record(String template, String version, Outcome outcome) {
    record(new VersionKey(template, null, version), outcome);
  }

  private void record(VersionKey key, Outcome outcome) {
    VersionCounts c = counters.get(key);
    if (c == null) {
      Set<VersionKey> servedNow = served;
      if (servedNow != null && !servedNow.contains(key)) {
        return; // finished after its version stopped being served: its results are gone
      }
      c =
          counters.computeIfAbsent(
              key,
              k -> {
                VersionCounts first = new VersionCounts();
                observer.counting(k.template(), k.version(), first);
                return first;
              });
    }
    c.requests.increment();
    if (outcome.failed()) {
      c.errors.increment();
    }
    c.inputTokens.add(outcome.usage().inputTokens());
    c.outputTokens.add(outcome.usage().outputTokens());
    c.costNanos.add(outcome.costNanos());
    c.latencyMillis.add(outcome.latency().toMillis());
    c.latencyCount.increment();
    // Marked after the additions: a report that takes the mark reads them.
    changed.add(key);
  }

  /**
   * Forgets the counts of every template version {@code snapshot} does not serve (deleted, version
   * removed, left out as invalid, or re-created as another resource of the same name). Called when
   * a snapshot is applied, before requests see it; a request still in flight with such a version is
   * not counted when it finishes.
   */
  public void retainServed(Snapshot snapshot) {
    Set<VersionKey> served = new HashSet<>();
    for (PromptTemplateConfig t : snapshot.templates()) {
      String template = t.id().qualifiedName();
      t.versions().forEach(v -> served.add(new VersionKey(template, t.id().uid(), v.name())));
    }
    this.served = Set.copyOf(served);
    for (VersionKey key : counters.keySet()) {
      if (!served.contains(key) && counters.remove(key) != null) {
        observer.forgotten(key.template(), key.version());
      }
    }
    changed.retainAll(served);
  }

  /** Every version's totals, by template and version. */
  public List<PromptVersionTotals> totals() {
    return totalsOf(counters.keySet());
  }

  /**
   * The totals of the versions that recorded a request since the last call, each once. A request
   * recorded while this runs is marked again and returned by the next call.
   */
  public List<PromptVersionTotals> takeChanged() {
    List<VersionKey> taken = new ArrayList<>();
    for (VersionKey key : changed) {
      if (changed.remove(key)) {
        taken.add(key);
      }
    }
    return totalsOf(taken);
  }

  private List<PromptVersionTotals> totalsOf(Iterable<VersionKey> keys) {
    List<PromptVersionTotals> totals = new ArrayList<>();
    for (VersionKey key : keys) {
      VersionCounts c = counters.get(key);
      if (c == null) {
        continue; // forgotten by retainServed while a request with it was being recorded
      }
      totals.add(
          new PromptVersionTotals(
              key.template(),
              key.version(),
              c.requests.sum(),
              c.errors.sum(),
              c.inputTokens.sum(),
              c.outputTokens.sum(),
              UsdAmount.format(c.costNanos.sum()),
              c.latencyMillis.sum(),
              c.latencyCount.sum(),
              key.uid()));
    }
    totals.sort(
        Comparator.comparing(PromptVersionTotals::template)
            .thenComparing(PromptVersionTotals::version));
    return totals;
  }
}
