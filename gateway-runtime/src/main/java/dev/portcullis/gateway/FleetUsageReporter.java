package dev.portcullis.gateway;

import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.fleet.UsageReport.KeyTotals;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.gateway.cost.UsdAmount;
import dev.portcullis.gateway.limits.BudgetPeriod;
import dev.portcullis.gateway.limits.KeyUsage;
import dev.portcullis.gateway.limits.UsageLedger;
import dev.portcullis.gateway.prompt.PromptResults;
import dev.portcullis.gateway.prompt.PromptVersionTotals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Reports per-key usage to the operator every {@code interval}, and once more at shutdown. Only
 * keys whose figures changed since they were last sent are reported: keys this gateway served (the
 * ledger says which), keys whose period rolled over (so status shows the reset), and keys whose
 * last report did not get through. After a reconnect to the operator everything reported before is
 * sent again, because a restarted operator has forgotten it.
 *
 * <p>The figures are the ledger's: with Redis the fleet's shared totals ({@link
 * UsageReport.Scope#FLEET}), without it this process's own ({@link UsageReport.Scope#POD}); the
 * operator combines them accordingly.
 *
 * <p>Each report also carries the results of the prompt template versions that served requests
 * since the last one ({@link PromptResults}): this process's own cumulative counts, resent whole
 * after a failed report or a reconnect.
 */
final class FleetUsageReporter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(FleetUsageReporter.class.getName());

  /** Delivers a report; true when the operator took it. */
  interface Sender {
    boolean send(UsageReport report);
  }

  private record Sent(KeyConfig config, KeyTotals totals) {}

  private final UsageLedger ledger;
  private final PromptResults promptResults;
  private final String pod;
  private final String instance = UUID.randomUUID().toString();
  private final Sender sender;
  private final ScheduledExecutorService timer;
  private final Map<String, Sent> lastSent = new HashMap<>();
  private final Map<String, KeyConfig> pending = new LinkedHashMap<>();
  private boolean resendAll;
  private boolean promptsUnsent;
  private boolean closed;

  FleetUsageReporter(UsageLedger ledger, String pod, Sender sender) {
    this(ledger, new PromptResults(), pod, sender);
  }

  FleetUsageReporter(UsageLedger ledger, PromptResults promptResults, String pod, Sender sender) {
    this.ledger = ledger;
    this.promptResults = promptResults;
    this.pod = pod;
    this.sender = sender;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("portcullis-usage-report").unstarted(r));
  }

  /** Reports every {@code interval} from now on. */
  FleetUsageReporter startEvery(Duration interval) {
    long millis = Math.max(1, interval.toMillis());
    timer.scheduleWithFixedDelay(this::reportSafely, millis, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The next report carries every key reported so far (the operator may have restarted). */
  synchronized void resendAll() {
    resendAll = !lastSent.isEmpty();
    promptsUnsent = true;
  }

  private void reportSafely() {
    try {
      reportNow();
    } catch (RuntimeException e) {
      LOG.warning("usage report failed: " + e.getClass().getSimpleName());
    }
  }

  /** Sends what changed now; unsent figures are tried again next time. */
  synchronized void reportNow() {
    if (closed) {
      return;
    }
    boolean all = resendAll;
    Map<String, KeyConfig> candidates = new LinkedHashMap<>(pending);
    for (KeyConfig key : ledger.takeChangedKeys()) {
      candidates.put(key.id().qualifiedName(), key);
    }
    for (Map.Entry<String, Sent> e : lastSent.entrySet()) {
      Sent sent = e.getValue();
      boolean rolledOver =
          !ledger.period(sent.config()).start().toString().equals(sent.totals().periodStart());
      if (all || rolledOver) {
        candidates.putIfAbsent(e.getKey(), sent.config());
      }
    }
    Map<String, KeyConfig> unread = new LinkedHashMap<>();
    Map<String, KeyConfig> reported = new LinkedHashMap<>();
    List<KeyTotals> entries = new ArrayList<>();
    for (Map.Entry<String, KeyConfig> e : candidates.entrySet()) {
      KeyTotals totals;
      try {
        totals = totals(e.getValue());
      } catch (RuntimeException ex) {
        // Redis unreachable: read it again next time.
        unread.put(e.getKey(), e.getValue());
        continue;
      }
      Sent before = lastSent.get(e.getKey());
      if (all || before == null || !before.totals().equals(totals)) {
        entries.add(totals);
        reported.put(e.getKey(), e.getValue());
      }
    }
    pending.clear();
    pending.putAll(unread);
    // Taken every time, so the marks do not pile up; all of them when the last ones were not sent.
    List<PromptVersionTotals> changedPrompts = promptResults.takeChanged();
    List<UsageReport.PromptTotals> prompts =
        (promptsUnsent ? promptResults.totals() : changedPrompts)
            .stream().map(FleetUsageReporter::promptTotals).toList();
    if (entries.isEmpty() && prompts.isEmpty()) {
      resendAll = false;
      promptsUnsent = false;
      return;
    }
    UsageReport report =
        new UsageReport(
            pod,
            instance,
            ledger.sharedAcrossFleet() ? UsageReport.Scope.FLEET : UsageReport.Scope.POD,
            entries,
            prompts);
    promptsUnsent = !prompts.isEmpty();
    if (sender.send(report)) {
      resendAll = false;
      promptsUnsent = false;
      for (KeyTotals totals : entries) {
        lastSent.put(totals.key(), new Sent(reported.get(totals.key()), totals));
      }
    } else {
      pending.putAll(reported);
    }
  }

  private static UsageReport.PromptTotals promptTotals(PromptVersionTotals t) {
    return new UsageReport.PromptTotals(
        t.template(),
        t.version(),
        t.requests(),
        t.errors(),
        t.inputTokens(),
        t.outputTokens(),
        t.spendUsd(),
        t.latencyMillisSum(),
        t.latencyCount(),
        t.uid());
  }

  private KeyTotals totals(KeyConfig key) {
    BudgetPeriod period = ledger.period(key);
    KeyUsage usage = ledger.usage(key);
    return new KeyTotals(
        key.id().qualifiedName(),
        period.period().name(),
        usage.periodStart().toString(),
        UsdAmount.format(usage.spentNanos()),
        usage.requests(),
        usage.inputTokens(),
        usage.outputTokens(),
        key.id().uid());
  }

  /** Stops the timer after a last report. */
  @Override
  public void close() {
    timer.shutdownNow();
    reportSafely();
    synchronized (this) {
      closed = true;
    }
  }
}
