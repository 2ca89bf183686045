package dev.portcullis.operator.usage;

import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.fleet.UsageReport.PromptTotals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>Memory: per template version, one entry per gateway instance that served it.
 */
public final class PromptResultsRollup {

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
   * Takes in the prompt results of one report.
   *
   * @throws IllegalArgumentException when an entry is malformed (nothing of the report is taken)
   */
  public synchronized void accept(UsageReport report) {
    if (report.prompts().isEmpty()) {
      return;
    }
    if (report.instance() == null || report.instance().isBlank()) {
      throw new IllegalArgumentException("a report with prompt results must name its instance");
    }
    List<Map.Entry<String, VersionResults>> parsed = new ArrayList<>();
    for (PromptTotals t : report.prompts()) {
      parsed.add(Map.entry(templateName(t.template()), parse(t)));
    }
    for (Map.Entry<String, VersionResults> e : parsed) {
      Map<String, VersionResults> instances =
          templates
              .computeIfAbsent(e.getKey(), k -> new TreeMap<>())
              .computeIfAbsent(e.getValue().version(), v -> new HashMap<>());
      VersionResults before = instances.get(report.instance());
      if (before == null || e.getValue().requests() > before.requests()) {
        instances.put(report.instance(), e.getValue());
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

  /** Forgets a template (its PromptTemplate is gone). */
  public synchronized void forget(String template) {
    templates.remove(template);
    changed.remove(template);
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
