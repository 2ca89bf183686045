package dev.portcullis.api.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A resolved {@code LLMRoute}: defaults applied, durations parsed, credentials resolved, references
 * qualified as {@code namespace/name}.
 *
 * @param model the name clients send
 * @param aliases further names clients may send
 * @param targets in declaration order
 * @param retry never null (attempts 0 = no retry)
 * @param cooldown null = no cooldown
 * @param timeout whole-request deadline, null = none
 * @param cache never null (mode DISABLED when absent)
 * @param inputGuardrails qualified names of guardrail policies applied to input, in order
 * @param outputGuardrails qualified names of guardrail policies applied to output, in order
 * @param promptTemplate qualified name of the default prompt template, or null
 * @param accessNamespaces other namespaces whose keys may use the route; "*" = all
 * @param logBodies whether access logs may include (redacted) bodies
 */
public record RouteConfig(
    ResourceId id,
    String model,
    List<String> aliases,
    StrategyConfig strategy,
    List<TargetConfig> targets,
    RetryConfig retry,
    CooldownConfig cooldown,
    Duration timeout,
    CacheConfig cache,
    List<String> inputGuardrails,
    List<String> outputGuardrails,
    String promptTemplate,
    Set<String> accessNamespaces,
    boolean logBodies) {

  public RouteConfig {
    aliases = List.copyOf(aliases);
    targets = List.copyOf(targets);
    inputGuardrails = List.copyOf(inputGuardrails);
    outputGuardrails = List.copyOf(outputGuardrails);
    accessNamespaces = Set.copyOf(accessNamespaces);
  }

  /** Whether keys of {@code namespace} may use this route. */
  public boolean admits(String namespace) {
    return id.namespace().equals(namespace)
        || accessNamespaces.contains("*")
        || accessNamespaces.contains(namespace);
  }

  /**
   * @param mode how targets are chosen
   * @param fallbackOn which failures move on to the next target (Fallback and retries)
   * @param conditions Conditional mode: first match wins
   * @param defaultTarget Conditional mode: target name when nothing matches
   * @param hedgeAfter race the next target when no first byte arrived by then; null = off
   * @param adaptive Adaptive mode weights; null for other modes
   */
  public record StrategyConfig(
      Mode mode,
      FallbackOn fallbackOn,
      List<ConditionRule> conditions,
      String defaultTarget,
      Duration hedgeAfter,
      AdaptiveWeights adaptive) {
    public StrategyConfig {
      conditions = List.copyOf(conditions);
    }

    public enum Mode {
      SINGLE,
      LOAD_BALANCE,
      FALLBACK,
      CONDITIONAL,
      ADAPTIVE
    }
  }

  public record FallbackOn(Set<Integer> statusCodes, boolean timeouts, boolean connectionErrors) {
    public FallbackOn {
      statusCodes = Set.copyOf(statusCodes);
    }
  }

  /**
   * @param when matcher tree as written, e.g. {@code {"metadata.tier": {"in": ["pro"]}}}
   * @param target target name
   */
  public record ConditionRule(JsonTree when, String target) {}

  public record AdaptiveWeights(
      double latencyWeight, double errorWeight, double costWeight, double explore) {}

  public record RetryConfig(
      int attempts,
      Duration backoffBase,
      Duration backoffMax,
      Set<Integer> onStatusCodes,
      boolean honorRetryAfter,
      Duration maxRetryAfter) {
    public RetryConfig {
      onStatusCodes = Set.copyOf(onStatusCodes);
    }
  }

  public record CooldownConfig(int failures, Duration window, Duration duration) {}

  /**
   * @param threshold semantic cache similarity threshold (0..1); unused for EXACT
   * @param scope who shares the entries; never null ({@code NAMESPACE} when absent). Written only
   *     when it is {@code KEY}, so snapshots without a key-scoped cache read as before, and a
   *     gateway that does not know the field refuses a snapshot that needs it rather than sharing
   *     one key's answers with the other keys of its namespace.
   */
  public record CacheConfig(
      CacheMode mode,
      Duration ttl,
      double threshold,
      @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultScope.class)
          CacheScope scope) {
    public CacheConfig {
      scope = scope == null ? CacheScope.NAMESPACE : scope;
    }

    /** Scope {@code NAMESPACE}. */
    public CacheConfig(CacheMode mode, Duration ttl, double threshold) {
      this(mode, ttl, threshold, CacheScope.NAMESPACE);
    }

    public enum CacheMode {
      DISABLED,
      EXACT,
      SEMANTIC
    }

    /** Who shares a route's cached answers. */
    public enum CacheScope {
      /** Every key of the caller's namespace; never another namespace. */
      NAMESPACE,
      /** The calling key alone. */
      KEY
    }

    /** Leaves the default scope out of the JSON (Jackson's value filter: true = omit). */
    static final class DefaultScope {
      @Override
      public boolean equals(Object value) {
        return value == null || value == CacheScope.NAMESPACE;
      }

      @Override
      public int hashCode() {
        return 0;
      }
    }
  }
}
