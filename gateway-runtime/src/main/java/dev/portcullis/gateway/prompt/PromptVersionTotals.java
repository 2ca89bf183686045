package dev.portcullis.gateway.prompt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One template version's results since this gateway process started, shaped to travel beside {@code
 * UsageReport.KeyTotals} to the operator (in a report of scope {@code POD}: the fleet's figure is
 * the sum of each instance's latest totals) and into {@code PromptTemplate.status}. Cumulative, so
 * a report sent twice or lost once changes nothing.
 *
 * @param template the template as {@code namespace/name}
 * @param version the version's name
 * @param requests requests served with this version, failed ones included
 * @param errors requests that ended in an error after the version was chosen
 * @param inputTokens input tokens of those requests
 * @param outputTokens output tokens of those requests
 * @param spendUsd their cost as a plain decimal string
 * @param latencyMillisSum the sum of their latencies, for a mean over {@code latencyCount}
 * @param latencyCount how many latencies the sum holds
 * @param uid the template's {@code metadata.uid}, or null where the snapshot names none
 */
public record PromptVersionTotals(
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
