package dev.portcullis.operator.usage;

import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.fleet.UsageReport.PromptTotals;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Combines the prompt template versions' results the gateways report ({@link UsageReport#prompts})
 * into one figure per template and version: each gateway instance reports its own cumulative
 * counts, so the fleet's figure is the sum over instances of each instance's latest (the report
 * with the most requests wins, so a late report cannot move an instance's figures backwards).
 *
 * <p>Figures are only kept for the templates and versions the snapshot serves ({@link #retain}): a
 * deleted template, a version removed from one, or one left out of the snapshot as invalid is
 * forgotten, so one re-created with the same name starts from zero. For {@link #FORGOTTEN_FOR}
 * afterwards, figures of it that arrive late (a gateway still on the old snapshot, another
 * replica's state written before it forgot) are ignored, unless the snapshot serves it again.
 * Figures name the template's {@code metadata.uid}: a template deleted and re-created between two
 * builds (served under another uid) is forgotten too, and figures of its old uid are ignored.
 *
 * <p>With several operator replicas each publishes the figures its own gateways reported ({@link
 * #export}) and takes in the others' ({@link #accept(String, List)}): combined by instance as
 * reports are, a gateway that reported to two replicas (it reconnected) is counted once.
 *
 * <p>Memory: per template version, one entry per gateway instance that served it; per template or
 * version forgotten in the last {@link #FORGOTTEN_FOR}, its name.
 */
public final class PromptResultsRollup {
  /** How long figures of a forgotten template or version are ignored when they arrive late. */
  public static final Duration FORGOTTEN_FOR = Duration.ofMinutes(5);

  /**
   * One version's results summed over the fleet.
   *
   * @param spendUsd exact decimal
   */
  public record VersionResults(
      String version,
      long requests,
      long errors,
      long inputTokens,
      long outputTokens,
      BigDecimal spendUsd,
      long latencyMillisSum,
      long latencyCount) {

    VersionResults plus(VersionResults o) {
      return new VersionResults(
          version,
          requests + o.requests,
          errors + o.errors,
          inputTokens + o.inputTokens,
          outputTokens + o.outputTokens,
          spendUsd.add(o.spendUsd),
          latencyMillisSum + o.latencyMillisSum,
          latencyCount + o.latencyCount);
    }

    /** The mean latency in milliseconds, 0 without any. */
    public long meanLatencyMillis() {
      return latencyCount == 0 ? 0 : Math.round((double) latencyMillisSum / latencyCount);
    }

    /** The spend as status shows it: a plain decimal, no trailing zeros. */
    public String spendText() {
      return spendUsd.signum() == 0 ? "0" : spendUsd.stripTrailingZeros().toPlainString();
    }
  }

  /** By template ({@code namespace/name}), version (sorted), gateway instance. */
  private final Map<String, Map<String, Map<String, VersionResults>>> templates = new HashMap<>();

  private final Set<String> changed = new LinkedHashSet<>();

  /**
   * Templates ({@code namespace/name}) and versions ({@code namespace/name version}) forgotten,
   * with when: their late figures are ignored until then plus {@link #FORGOTTEN_FOR}.
   */
  private final Map<String, Instant> forgotten = new HashMap<>();

  /** The uid each template's figures are of, where the gateways named one. */
  private final Map<String, String> uids = new HashMap<>();

  private final Incarnations incarnations;
  private final Clock clock;

  public PromptResultsRollup() {
    this(Clock.systemUTC());
  }

  public PromptResultsRollup(Clock clock) {
    this.clock = clock;
    this.incarnations = new Incarnations(clock);
  }

  /**
   * Takes in the prompt results of one report.
   *
   * @throws IllegalArgumentException when an entry is malformed (nothing of the report is taken)
   */
  public void accept(UsageReport report) {
    accept(report.instance(), report.prompts());
  }

  /**
   * Takes in one gateway instance's cumulative figures, from its own report or from another
   * replica's state ({@link #export} there).
   *
   * @throws IllegalArgumentException when an entry is malformed (nothing of them is taken)
   */
  public synchronized void accept(String instance, List<PromptTotals> prompts) {
    if (prompts.isEmpty()) {
      return;
    }
    if (instance == null || instance.isBlank()) {
      throw new IllegalArgumentException("a report with prompt results must name its instance");
    }
    List<Map.Entry<PromptTotals, VersionResults>> parsed = new ArrayList<>();
    for (PromptTotals t : prompts) {
      templateName(t.template());
      parsed.add(Map.entry(t, parse(t)));
    }
    Instant now = clock.instant();
    for (Map.Entry<PromptTotals, VersionResults> p : parsed) {
      Map.Entry<String, VersionResults> e = Map.entry(p.getKey().template(), p.getValue());
      String uid = p.getKey().uid();
      if (isForgotten(e.getKey(), now)
          || isForgotten(versionKey(e.getKey(), e.getValue().version()), now)
          || !incarnations.isCurrent(e.getKey(), uid)) {
        continue; // a late figure of a template or version that is gone
      }
      if (Incarnations.differ(uids.get(e.getKey()), uid)) {
        // Another resource of the same name (re-created before a build told this rollup).
        forgetTemplate(e.getKey());
      }
      if (uid != null) {
        uids.putIfAbsent(e.getKey(), uid);
      }
      Map<String, VersionResults> instances =
          templates
              .computeIfAbsent(e.getKey(), k -> new TreeMap<>())
              .computeIfAbsent(e.getValue().version(), v -> new HashMap<>());
      VersionResults before = instances.get(instance);
      if (before == null || e.getValue().requests() > before.requests()) {
        instances.put(instance, e.getValue());
        changed.add(e.getKey());
      }
    }
  }

  /** Each version's results of a template, by version name; empty when none was reported. */
  public synchronized Optional<List<VersionResults>> results(String template) {
    Map<String, Map<String, VersionResults>> versions = templates.get(template);
    if (versions == null) {
      return Optional.empty();
    }
    List<VersionResults> out = new ArrayList<>();
    versions.forEach(
        (version, instances) -> {
          VersionResults sum = new VersionResults(version, 0, 0, 0, 0, BigDecimal.ZERO, 0, 0);
          for (VersionResults r : instances.values()) {
            sum = sum.plus(r);
          }
          out.add(sum);
        });
    return Optional.of(List.copyOf(out));
  }

  /** Templates ({@code namespace/name}) whose results changed since the last call. */
  public synchronized Set<String> takeChanged() {
    Set<String> taken = new LinkedHashSet<>(changed);
    changed.clear();
    return taken;
  }

  /**
   * Keeps the figures of the templates and versions the snapshot serves and forgets the rest (a
   * template deleted or left out of the snapshot, versions removed from it). A template that lost
   * versions but not all counts as changed, so its status is written again.
   *
   * @param served version names by template ({@code namespace/name})
   * @return whether anything was forgotten
   */
  public synchronized boolean retain(Map<String, Set<String>> served) {
    return retain(served, Map.of());
  }

  /**
   * As {@link #retain(Map)}, and forgets the figures of a template served under another uid than
   * theirs (deleted and re-created between two builds).
   *
   * @param servedUids the uid of each served template ({@code namespace/name}) that has one
   */
  public synchronized boolean retain(
      Map<String, Set<String>> served, Map<String, String> servedUids) {
    incarnations.served(servedUids);
    Instant now = clock.instant();
    forgotten.values().removeIf(at -> !now.isBefore(at.plus(FORGOTTEN_FOR)));
    // Served again (re-created, or valid again): new figures count.
    served.forEach(
        (template, versions) -> {
          forgotten.remove(template);
          versions.forEach(v -> forgotten.remove(versionKey(template, v)));
        });
    boolean any = false;
    for (Iterator<Map.Entry<String, Map<String, Map<String, VersionResults>>>> it =
            templates.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, Map<String, Map<String, VersionResults>>> t = it.next();
      Set<String> versions = served.get(t.getKey());
      boolean replaced = incarnations.replaced(t.getKey(), uids.get(t.getKey()));
      if (versions == null || replaced) {
        it.remove();
        incarnations.forget(uids.remove(t.getKey()));
        changed.add(t.getKey()); // so what was published of it is dropped
        if (!replaced) {
          forgotten.put(t.getKey(), now);
        }
        any = true;
        continue;
      }
      for (Iterator<String> v = t.getValue().keySet().iterator(); v.hasNext(); ) {
        String version = v.next();
        if (!versions.contains(version)) {
          v.remove();
          forgotten.put(versionKey(t.getKey(), version), now);
          changed.add(t.getKey());
          any = true;
        }
      }
      if (t.getValue().isEmpty()) {
        it.remove();
        uids.remove(t.getKey());
      }
    }
    return any;
  }

  /** Forgets a template's figures, kept of an earlier resource of its name. */
  private void forgetTemplate(String template) {
    templates.remove(template);
    incarnations.forget(uids.remove(template));
    changed.add(template);
  }

  /**
   * Each gateway instance's figures of every template version, as another replica takes them in
   * with {@link #accept(String, List)}.
   */
  public synchronized Map<String, List<PromptTotals>> export() {
    Map<String, List<PromptTotals>> byInstance = new TreeMap<>();
    templates.forEach(
        (template, versions) ->
            versions.forEach(
                (version, instances) ->
                    instances.forEach(
                        (instance, r) ->
                            byInstance
                                .computeIfAbsent(instance, i -> new ArrayList<>())
                                .add(
                                    new PromptTotals(
                                        template,
                                        version,
                                        r.requests(),
                                        r.errors(),
                                        r.inputTokens(),
                                        r.outputTokens(),
                                        r.spendText(),
                                        r.latencyMillisSum(),
                                        r.latencyCount(),
                                        uids.get(template))))));
    byInstance
        .values()
        .forEach(
            list ->
                list.sort(
                    java.util.Comparator.comparing(PromptTotals::template)
                        .thenComparing(PromptTotals::version)));
    return byInstance;
  }

  private boolean isForgotten(String name, Instant now) {
    Instant at = forgotten.get(name);
    return at != null && now.isBefore(at.plus(FORGOTTEN_FOR));
  }

  private static String versionKey(String template, String version) {
    return template + " " + version;
  }

  private static String templateName(String template) {
    if (template == null || template.indexOf('/') <= 0) {
      throw new IllegalArgumentException(
          "a prompt template must be named namespace/name, got " + template);
    }
    return template;
  }

  private static VersionResults parse(PromptTotals t) {
    if (t.version() == null || t.version().isBlank()) {
      throw new IllegalArgumentException("the results of " + t.template() + " name no version");
    }
    BigDecimal spend;
    try {
      spend = new BigDecimal(t.spendUsd());
    } catch (NumberFormatException | NullPointerException x) {
      throw new IllegalArgumentException(
          "the results of " + t.template() + " " + t.version() + " have no decimal spendUSD", x);
    }
    if (spend.signum() < 0
        || t.requests() < 0
        || t.errors() < 0
        || t.inputTokens() < 0
        || t.outputTokens() < 0
        || t.latencyMillisSum() < 0
        || t.latencyCount() < 0) {
      throw new IllegalArgumentException(
          "the results of " + t.template() + " " + t.version() + " have a negative figure");
    }
    return new VersionResults(
        t.version(),
        t.requests(),
        t.errors(),
        t.inputTokens(),
        t.outputTokens(),
        spend,
        t.latencyMillisSum(),
        t.latencyCount());
  }
}
