package dev.portcullis.api.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A gateway's usage figures for the keys whose usage changed since its last report, posted to
 * {@value FleetProtocol#USAGE_PATH}. The operator rolls them up into {@code
 * VirtualKey.status.usage}.
 *
 * @param pod the gateway pod's name
 * @param instance a random id of this gateway process: a restarted pod (same name) starts new
 *     counters, which the operator must not confuse with the old ones
 * @param scope whose counters the figures are
 * @param keys one entry per key
 * @param prompts one entry per prompt template version whose results changed; always this gateway
 *     process's own counts, whatever the {@code scope} of the keys (results are never shared
 *     through Redis), so the operator sums them over instances
 */
public record UsageReport(
    String pod, String instance, Scope scope, List<KeyTotals> keys, List<PromptTotals> prompts) {
  public UsageReport {
    keys = keys == null ? List.of() : List.copyOf(keys);
    prompts = prompts == null ? List.of() : List.copyOf(prompts);
  }

  /** A report of keys only. */
  public UsageReport(String pod, String instance, Scope scope, List<KeyTotals> keys) {
    this(pod, instance, scope, keys, List.of());
  }

  /** Whose counters a report carries; decides how the operator combines reports. */
  public enum Scope {
    /**
     * The fleet's shared counters (Redis): every gateway reads the same totals, so reports of one
     * key and period are combined by taking the largest figure, never by adding.
     */
    FLEET,
    /**
     * This gateway process's own counters (no Redis): the key's total is the sum over gateway
     * instances.
     */
    POD
  }

  /**
   * A key's totals in one budget period.
   *
   * @param key the VirtualKey as {@code namespace/name}
   * @param period the budget period kind ({@code DAILY}, {@code WEEKLY}, {@code MONTHLY}, {@code
   *     TOTAL}); keys without a budget are counted by calendar month
   * @param periodStart start of the period (RFC 3339; the epoch for {@code TOTAL})
   * @param spendUsd settled spend as a plain decimal string
   * @param requests requests served
   * @param inputTokens input tokens of served requests
   * @param outputTokens output tokens of served requests
   * @param uid the VirtualKey's {@code metadata.uid} as the gateway's snapshot names it, or null
   *     (none known): figures of a key deleted and re-created with the same name are told apart
   */
  public record KeyTotals(
      String key,
      String period,
      String periodStart,
      @JsonProperty("spendUSD") String spendUsd,
      long requests,
      long inputTokens,
      long outputTokens,
      @JsonInclude(JsonInclude.Include.NON_NULL) String uid) {

    /** Totals of a key whose uid is not known. */
    public KeyTotals(
        String key,
        String period,
        String periodStart,
        String spendUsd,
        long requests,
        long inputTokens,
        long outputTokens) {
      this(key, period, periodStart, spendUsd, requests, inputTokens, outputTokens, null);
    }
  }

  /**
   * One prompt template version's results since the gateway process started: cumulative, so a
   * report sent twice or lost once changes nothing.
   *
   * @param template the PromptTemplate as {@code namespace/name}
   * @param version the version's name
   * @param requests requests served with the version, failed ones included
   * @param errors those that ended in an error
   * @param inputTokens their input tokens
   * @param outputTokens their output tokens
   * @param spendUsd their cost as a plain decimal string
   * @param latencyMillisSum the sum of their latencies in milliseconds
   * @param latencyCount how many latencies the sum holds (for the mean)
   * @param uid the PromptTemplate's {@code metadata.uid} as the gateway's snapshot names it, or
   *     null (none known): results of a template deleted and re-created with the same name are told
   *     apart
   */
  public record PromptTotals(
      String template,
      String version,
      long requests,
      long errors,
      long inputTokens,
      long outputTokens,
      @JsonProperty("spendUSD") String spendUsd,
      long latencyMillisSum,
      long latencyCount,
      @JsonInclude(JsonInclude.Include.NON_NULL) String uid) {}
}
