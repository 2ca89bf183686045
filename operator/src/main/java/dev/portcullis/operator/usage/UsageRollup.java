package dev.portcullis.operator.usage;

import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.fleet.UsageReport.KeyTotals;
import dev.portcullis.operator.fleet.FleetState;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Combines the gateways' usage reports into one total per VirtualKey and period.
 *
 * <ul>
 *   <li><b>Fleet scope</b> (gateways share Redis): every gateway reads the same fleet-wide
 *       counters, so adding reports would count each request once per reporting gateway. Within a
 *       period the counters only grow, so the total is the largest figure reported, field by field.
 *       No gateway has to be elected to report, and reports arriving out of order cannot move the
 *       total backwards.
 *   <li><b>Pod scope</b> (no Redis): each gateway process counts only what it served. The total is
 *       the sum over gateway instances of each instance's largest figure. An instance that has gone
 *       away keeps its share for the rest of the period: its requests were served.
 *   <li><b>Periods</b>: a report of a later period starts the key afresh (the budget period rolled
 *       over); a late report of an earlier one is ignored. A report of another kind of period (the
 *       budget's period was changed) replaces what was there.
 *   <li><b>Deleted keys</b>: every snapshot build calls {@link #retain} with the keys that exist
 *       and the uid each served one has; figures of a key that is gone, or of an earlier resource
 *       of the same name (deleted and re-created between two builds), are forgotten, so a key
 *       re-created with the same name starts from zero. Figures naming a forgotten uid that arrive
 *       late (a gateway still on the old snapshot, another replica's state written before it
 *       forgot) are ignored for {@link PromptResultsRollup#FORGOTTEN_FOR}; figures naming another
 *       uid than the one served are ignored always.
 * </ul>
 *
 * Memory: per key, the current period's figures, one per gateway instance in pod scope; per key
 * existing, its name and uid; per key forgotten in the last {@link
 * PromptResultsRollup#FORGOTTEN_FOR}, its uid.
 */
public final class UsageRollup {

  /**
   * A key's usage in one period.
   *
   * @param spendUsd exact decimal
   */
  public record Totals(
      String period,
      Instant periodStart,
      BigDecimal spendUsd,
      long requests,
      long inputTokens,
      long outputTokens) {

    Totals plus(Totals o) {
      return new Totals(
          period,
          periodStart,
          spendUsd.add(o.spendUsd),
          requests + o.requests,
          inputTokens + o.inputTokens,
          outputTokens + o.outputTokens);
    }

    Totals max(Totals o) {
      return new Totals(
          period,
          periodStart,
          spendUsd.max(o.spendUsd),
          Math.max(requests, o.requests),
          Math.max(inputTokens, o.inputTokens),
          Math.max(outputTokens, o.outputTokens));
    }

    /** The spend as status shows it: a plain decimal, no trailing zeros. */
    public String spendText() {
      return spendUsd.signum() == 0 ? "0" : spendUsd.stripTrailingZeros().toPlainString();
    }

    /** The same figures in value terms (BigDecimal scale ignored). */
    boolean sameAs(Totals o) {
      return o != null
          && period.equals(o.period)
          && periodStart.equals(o.periodStart)
          && spendUsd.compareTo(o.spendUsd) == 0
          && requests == o.requests
          && inputTokens == o.inputTokens
          && outputTokens == o.outputTokens;
    }
  }

  /** One key's figures in its current period. */
  private static final class KeyFigures {
    final String period;
    final Instant periodStart;
    // Null until a report names it (gateways and replicas of before uids were reported).
    String uid;
    Totals fleet;
    final Map<String, Totals> byInstance = new HashMap<>();

    KeyFigures(String period, Instant periodStart, String uid) {
      this.period = period;
      this.periodStart = periodStart;
      this.uid = uid;
    }

    Totals total() {
      Totals sum = fleet != null ? fleet : zero(period, periodStart);
      for (Totals t : byInstance.values()) {
        sum = sum.plus(t);
      }
      return sum;
    }
  }

  private final Map<String, KeyFigures> keys = new HashMap<>();
  private final Set<String> changed = new LinkedHashSet<>();

  private final Incarnations incarnations;

  public UsageRollup() {
    this(Clock.systemUTC());
  }

  public UsageRollup(Clock clock) {
    this.incarnations = new Incarnations(clock);
  }

  public static Totals zero(String period, Instant periodStart) {
    return new Totals(period, periodStart, BigDecimal.ZERO, 0, 0, 0);
  }

  /**
   * Takes in one report.
   *
   * @throws IllegalArgumentException when an entry is malformed (nothing of the report is taken)
   */
  public synchronized void accept(UsageReport report) {
    if (report.scope() == null) {
      throw new IllegalArgumentException("the report names no scope (FLEET or POD)");
    }
    if (report.scope() == UsageReport.Scope.POD
        && (report.instance() == null || report.instance().isBlank())) {
      throw new IllegalArgumentException("a POD-scope report must name its gateway instance");
    }
    List<Map.Entry<KeyTotals, Totals>> parsed =
        report.keys().stream().map(e -> Map.entry(e, parse(e))).toList();
    for (Map.Entry<KeyTotals, Totals> e : parsed) {
      KeyTotals k = e.getKey();
      add(keyName(k.key()), k.uid(), report.scope(), report.instance(), e.getValue());
    }
  }

  private void add(String key, String uid, UsageReport.Scope scope, String instance, Totals t) {
    if (!incarnations.isCurrent(key, uid)) {
      return; // a late figure of a key deleted since
    }
    KeyFigures figures = keys.get(key);
    Totals before = figures == null ? null : figures.total();
    if (figures != null && Incarnations.differ(figures.uid, uid)) {
      // Another resource of the same name (re-created before a build told this rollup).
      incarnations.forget(figures.uid);
      figures = null;
    }
    if (figures == null
        || !figures.period.equals(t.period())
        || t.periodStart().isAfter(figures.periodStart)) {
      figures = new KeyFigures(t.period(), t.periodStart(), uid);
      keys.put(key, figures);
    } else if (t.periodStart().isBefore(figures.periodStart)) {
      return; // a late report of a period that has ended
    }
    if (figures.uid == null) {
      figures.uid = uid;
    }
    if (scope == UsageReport.Scope.FLEET) {
      figures.fleet = figures.fleet == null ? t : figures.fleet.max(t);
    } else {
      figures.byInstance.merge(instance, t, Totals::max);
    }
    if (!figures.total().sameAs(before)) {
      changed.add(key);
    }
  }

  /** A key's total in its current period, if any gateway reported it. */
  public synchronized Optional<Totals> total(String key) {
    KeyFigures figures = keys.get(key);
    return figures == null ? Optional.empty() : Optional.of(figures.total());
  }

  /** Keys ({@code namespace/name}) whose total may have changed since the last call. */
  public synchronized Set<String> takeChanged() {
    Set<String> taken = new LinkedHashSet<>(changed);
    changed.clear();
    return taken;
  }

  /**
   * Takes in one key's figures as another operator replica received them ({@link #export} there).
   * Fleet figures are combined by max and an instance's by max, as reports are, so taking the same
   * figures in again, or beside the reports they came from (a gateway that moved between replicas),
   * counts nothing twice.
   *
   * @throws IllegalArgumentException when the figures are malformed (nothing of them is taken)
   */
  public synchronized void accept(FleetState.Usage usage) {
    String key = keyName(usage.key());
    String uid = usage.uid();
    List<Map.Entry<String, Totals>> parsed = new ArrayList<>();
    if (usage.fleet() != null) {
      parsed.add(Map.entry("", parse(totals(usage, usage.fleet()))));
    }
    usage
        .instances()
        .forEach(
            (instance, figures) -> {
              if (instance.isBlank()) {
                throw new IllegalArgumentException(
                    "the usage of " + usage.key() + " names a blank gateway instance");
              }
              parsed.add(Map.entry(instance, parse(totals(usage, figures))));
            });
    for (Map.Entry<String, Totals> e : parsed) {
      boolean fleet = e.getKey().isEmpty();
      add(
          key,
          uid,
          fleet ? UsageReport.Scope.FLEET : UsageReport.Scope.POD,
          e.getKey(),
          e.getValue());
    }
  }

  private static KeyTotals totals(FleetState.Usage usage, FleetState.Figures f) {
    return new KeyTotals(
        usage.key(),
        usage.period(),
        usage.periodStart(),
        f.spendUsd(),
        f.requests(),
        f.inputTokens(),
        f.outputTokens());
  }

  /**
   * Every key's figures in its current period, as another replica takes them in with {@link
   * #accept(FleetState.Usage)}.
   */
  public synchronized Map<String, FleetState.Usage> export() {
    Map<String, FleetState.Usage> all = new HashMap<>();
    keys.forEach(
        (key, f) -> {
          Map<String, FleetState.Figures> instances = new HashMap<>();
          f.byInstance.forEach((instance, t) -> instances.put(instance, figures(t)));
          all.put(
              key,
              new FleetState.Usage(
                  key,
                  f.period,
                  f.periodStart.toString(),
                  f.fleet == null ? null : figures(f.fleet),
                  instances,
                  f.uid));
        });
    return all;
  }

  private static FleetState.Figures figures(Totals t) {
    return new FleetState.Figures(t.spendText(), t.requests(), t.inputTokens(), t.outputTokens());
  }

  /**
   * Keeps the figures of the keys that exist and forgets the rest: a key deleted, or one whose
   * figures are of another uid than the one served (deleted and re-created between two builds). A
   * key that exists but is left out of the snapshot (invalid for now) keeps its figures. A
   * forgotten key counts as changed, so what was published of it is dropped.
   *
   * @param existing every VirtualKey ({@code namespace/name}) the build saw, served or not
   * @param served the uid of each served key that has one
   * @return whether anything was forgotten
   */
  public synchronized boolean retain(Set<String> existing, Map<String, String> served) {
    incarnations.served(served);
    boolean any = false;
    for (Iterator<Map.Entry<String, KeyFigures>> it = keys.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, KeyFigures> e = it.next();
      String uid = e.getValue().uid;
      if (!existing.contains(e.getKey()) || incarnations.replaced(e.getKey(), uid)) {
        it.remove();
        incarnations.forget(uid);
        changed.add(e.getKey());
        any = true;
      }
    }
    return any;
  }

  private static String keyName(String key) {
    if (key == null || key.indexOf('/') <= 0) {
      throw new IllegalArgumentException("a key must be named namespace/name, got " + key);
    }
    return key;
  }

  private static Totals parse(KeyTotals e) {
    if (e.period() == null || e.period().isBlank()) {
      throw new IllegalArgumentException("the usage of " + e.key() + " names no period");
    }
    Instant start;
    BigDecimal spend;
    try {
      start = Instant.parse(e.periodStart());
    } catch (DateTimeParseException | NullPointerException x) {
      throw new IllegalArgumentException(
          "the usage of " + e.key() + " has no RFC 3339 periodStart", x);
    }
    try {
      spend = new BigDecimal(e.spendUsd());
    } catch (NumberFormatException | NullPointerException x) {
      throw new IllegalArgumentException("the usage of " + e.key() + " has no decimal spendUSD", x);
    }
    if (spend.signum() < 0 || e.requests() < 0 || e.inputTokens() < 0 || e.outputTokens() < 0) {
      throw new IllegalArgumentException("the usage of " + e.key() + " has a negative figure");
    }
    return new Totals(e.period(), start, spend, e.requests(), e.inputTokens(), e.outputTokens());
  }
}
