package dev.portcullis.operator.usage;

import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.key.KeyUsage;
import dev.portcullis.api.prompt.PromptVersionResults;
import dev.portcullis.operator.snapshot.Kinds;
import dev.portcullis.operator.usage.UsageRollup.Totals;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Decides what {@code VirtualKey.status.usage} shows, and when: a key's rolled-up total is
 * published at most once per {@code minInterval}, only when it differs from what was published, and
 * the key's reconciler is triggered to write it. A busy key therefore costs one status write per
 * interval, however many requests and reports there are; the first figures of a key go out at once.
 *
 * <p>The same goes for {@code PromptTemplate.status.results}: a template's versions' results
 * ({@link PromptResultsRollup}) are published at most once per {@code minInterval}, when they
 * changed, and the template's reconciler is triggered.
 *
 * <p>Every replica publishes, but only the leader runs reconcilers, so only the leader writes.
 */
public final class UsageStatusPublisher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(UsageStatusPublisher.class.getName());

  private record Published(Totals totals, Instant at) {}

  private record PublishedResults(List<PromptResultsRollup.VersionResults> results, Instant at) {}

  private final UsageRollup rollup;
  private final Duration minInterval;
  private final Clock clock;
  private final Consumer<ResourceRef> trigger;
  private final Map<String, Published> published = new HashMap<>();
  private final Set<String> waiting = new LinkedHashSet<>();
  private final PromptResultsRollup prompts;
  private final Map<String, PublishedResults> publishedResults = new HashMap<>();
  private final Set<String> waitingTemplates = new LinkedHashSet<>();
  private final ScheduledExecutorService timer;

  public UsageStatusPublisher(
      UsageRollup rollup, Duration minInterval, Clock clock, Consumer<ResourceRef> trigger) {
    this(rollup, new PromptResultsRollup(), minInterval, clock, trigger);
  }

  public UsageStatusPublisher(
      UsageRollup rollup,
      PromptResultsRollup prompts,
      Duration minInterval,
      Clock clock,
      Consumer<ResourceRef> trigger) {
    this.rollup = rollup;
    this.prompts = prompts;
    this.minInterval = minInterval;
    this.clock = clock;
    this.trigger = trigger;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("portcullis-usage-status").unstarted(r));
  }

  /** Looks for new figures a few times per interval (at least every second). */
  public void start() {
    long every = Math.clamp(minInterval.toMillis() / 5, 20, 1000);
    timer.scheduleWithFixedDelay(this::tickSafely, every, every, TimeUnit.MILLISECONDS);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warning("usage status publishing failed: " + e);
    }
  }

  /** Publishes the keys whose figures changed and whose last publication is old enough. */
  public synchronized void tick() {
    waiting.addAll(rollup.takeChanged());
    Instant now = clock.instant();
    for (Iterator<String> it = waiting.iterator(); it.hasNext(); ) {
      String key = it.next();
      Optional<Totals> total = rollup.total(key);
      if (total.isEmpty()) {
        // Forgotten (deleted, or re-created as another resource): at once, so a key re-created
        // with the same name shows none of it.
        it.remove();
        published.remove(key);
        continue;
      }
      Published last = published.get(key);
      if (last != null && now.isBefore(last.at().plus(minInterval))) {
        continue;
      }
      it.remove();
      if (last != null && total.get().sameAs(last.totals())) {
        continue;
      }
      published.put(key, new Published(total.get(), now));
      int slash = key.indexOf('/');
      trigger.accept(new ResourceRef(Kinds.KEY, key.substring(0, slash), key.substring(slash + 1)));
    }
    waitingTemplates.addAll(prompts.takeChanged());
    for (Iterator<String> it = waitingTemplates.iterator(); it.hasNext(); ) {
      String template = it.next();
      Optional<List<PromptResultsRollup.VersionResults>> results = prompts.results(template);
      if (results.isEmpty()) {
        // Forgotten (deleted, or every version with figures removed): at once, so a template
        // re-created with the same name shows none of it. One still there rewrites its status on
        // its own change (its versions changed).
        it.remove();
        publishedResults.remove(template);
        continue;
      }
      PublishedResults last = publishedResults.get(template);
      if (last != null && now.isBefore(last.at().plus(minInterval))) {
        continue;
      }
      it.remove();
      if (last != null && results.get().equals(last.results())) {
        continue;
      }
      publishedResults.put(template, new PublishedResults(results.get(), now));
      int slash = template.indexOf('/');
      trigger.accept(
          new ResourceRef(
              Kinds.TEMPLATE, template.substring(0, slash), template.substring(slash + 1)));
    }
  }

  /**
   * The usage status of a key, or empty when no gateway has reported it to this replica or its
   * figures were forgotten.
   */
  public synchronized Optional<KeyUsage> usage(String namespace, String name) {
    String key = namespace + "/" + name;
    Published p = published.get(key);
    if (p == null || rollup.total(key).isEmpty()) {
      return Optional.empty(); // none yet, or forgotten since (not yet noticed by tick)
    }
    KeyUsage usage = new KeyUsage();
    usage.setPeriodStart(p.totals().periodStart().toString());
    usage.setSpendUsd(p.totals().spendText());
    usage.setRequests(p.totals().requests());
    usage.setInputTokens(p.totals().inputTokens());
    usage.setOutputTokens(p.totals().outputTokens());
    usage.setUpdatedAt(p.at().truncatedTo(ChronoUnit.SECONDS).toString());
    return Optional.of(usage);
  }

  /**
   * The results per version of a template, by version name, or empty when no gateway has reported
   * it to this replica or its figures were forgotten.
   */
  public synchronized Optional<List<PromptVersionResults>> promptResults(
      String namespace, String name) {
    String template = namespace + "/" + name;
    PublishedResults p = publishedResults.get(template);
    if (p == null || prompts.results(template).isEmpty()) {
      return Optional.empty(); // none yet, or forgotten since (not yet noticed by tick)
    }
    return Optional.of(
        p.results().stream()
            .map(
                r -> {
                  PromptVersionResults status = new PromptVersionResults();
                  status.setVersion(r.version());
                  status.setRequests(r.requests());
                  status.setErrors(r.errors());
                  status.setInputTokens(r.inputTokens());
                  status.setOutputTokens(r.outputTokens());
                  status.setSpendUsd(r.spendText());
                  status.setMeanLatencyMs(r.meanLatencyMillis());
                  return status;
                })
            .toList());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
