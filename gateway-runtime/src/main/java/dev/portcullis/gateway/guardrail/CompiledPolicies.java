package dev.portcullis.gateway.guardrail;

import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every guardrail policy of one snapshot, compiled: patterns, word automata, schemas. Built once
 * when the gateway applies a snapshot (see {@link CompiledPoliciesCache}), never per request;
 * immutable and shared by all requests of that snapshot.
 *
 * <p>A policy that does not compile (a pattern RE2 rejects) is kept as an error: {@link
 * #compileErrors} lets the gateway refuse (NACK) the snapshot entry, and a request whose route
 * still names it is denied (fail closed) rather than served unchecked.
 */
public final class CompiledPolicies {
  /** No policies: every route's guardrails are empty. */
  public static final CompiledPolicies EMPTY = new CompiledPolicies(null, Map.of(), Map.of());

  private record Compiled(GuardrailPolicyConfig config, List<PolicyCheck<ContentCheck>> checks) {}

  private final String snapshotVersion;
  private final Map<String, Compiled> policies;
  private final Map<String, String> errors;

  private CompiledPolicies(
      String snapshotVersion, Map<String, Compiled> policies, Map<String, String> errors) {
    this.snapshotVersion = snapshotVersion;
    this.policies = policies;
    this.errors = errors;
  }

  /** Compiles every policy of {@code snapshot}. */
  public static CompiledPolicies compile(Snapshot snapshot, TokenCounter tokens) {
    return compile(snapshot.version(), snapshot.policies(), tokens, EMPTY);
  }

  /**
   * Compiles {@code configs}, reusing from {@code previous} every policy whose record is unchanged
   * (records compare by value), so a snapshot that changes one route recompiles nothing.
   */
  public static CompiledPolicies compile(
      String snapshotVersion,
      List<GuardrailPolicyConfig> configs,
      TokenCounter tokens,
      CompiledPolicies previous) {
    CheckTypeRegistry.CompileContext context = new CheckTypeRegistry.CompileContext(tokens);
    Map<String, Compiled> policies = new HashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    for (GuardrailPolicyConfig config : configs) {
      String name = config.id().qualifiedName();
      Compiled old = previous.policies.get(name);
      if (old != null && old.config().equals(config)) {
        policies.put(name, old);
        continue;
      }
      try {
        policies.put(name, new Compiled(config, compile(config, context)));
      } catch (GuardrailCompileException e) {
        errors.put(name, e.getMessage());
      }
    }
    return new CompiledPolicies(snapshotVersion, Map.copyOf(policies), Map.copyOf(errors));
  }

  private static List<PolicyCheck<ContentCheck>> compile(
      GuardrailPolicyConfig config, CheckTypeRegistry.CompileContext context) {
    String name = config.id().qualifiedName();
    List<PolicyCheck<ContentCheck>> checks = new ArrayList<>();
    for (int i = 0; i < config.checks().size(); i++) {
      GuardrailPolicyConfig.Check c = config.checks().get(i);
      ContentCheck compiled;
      try {
        compiled = CheckTypeRegistry.compile(c.type(), c.settings().copy(), context);
      } catch (GuardrailCompileException e) {
        throw new GuardrailCompileException(
            "spec.checks[" + i + "] (" + c.name() + ")." + e.getMessage(), e);
      }
      checks.add(
          new PolicyCheck<>(
              name,
              c.name(),
              c.action(),
              c.stages().contains(GuardrailPolicyConfig.Stage.INPUT),
              c.stages().contains(GuardrailPolicyConfig.Stage.OUTPUT),
              config.message(),
              compiled));
    }
    return List.copyOf(checks);
  }

  /** The version of the snapshot these policies came from (null for {@link #EMPTY}). */
  public String snapshotVersion() {
    return snapshotVersion;
  }

  /** Policies that did not compile: {@code namespace/name} to a message naming the field. */
  public Map<String, String> compileErrors() {
    return errors;
  }

  /**
   * The guardrails of one request on a route: {@code inputPolicies} and {@code outputPolicies} are
   * the route's {@code inputGuardrails()} and {@code outputGuardrails()} ({@code namespace/name}).
   * A named policy that is missing or did not compile denies the input (fail closed).
   */
  public RequestGuardrails forRequest(
      List<String> inputPolicies, List<String> outputPolicies, GuardrailRequest request) {
    List<PolicyCheck<ContentCheck>> input = new ArrayList<>();
    List<PolicyCheck<ContentCheck>> output = new ArrayList<>();
    GuardrailDenial unavailable = null;
    for (String name : inputPolicies) {
      unavailable = collect(name, true, input, unavailable);
    }
    for (String name : outputPolicies) {
      unavailable = collect(name, false, output, unavailable);
    }
    return new RequestGuardrails(input, output, unavailable, request);
  }

  private GuardrailDenial collect(
      String name,
      boolean inputSide,
      List<PolicyCheck<ContentCheck>> into,
      GuardrailDenial unavailable) {
    Compiled policy = policies.get(name);
    if (policy == null) {
      return unavailable != null
          ? unavailable
          : new GuardrailDenial(
              name,
              "(policy)",
              "The guardrail policy "
                  + name
                  + " cannot be enforced by this gateway"
                  + (errors.containsKey(name) ? ": " + errors.get(name) : ""));
    }
    for (PolicyCheck<ContentCheck> c : policy.checks()) {
      if (inputSide ? c.onInput() : c.onOutput()) {
        into.add(c);
      }
    }
    return unavailable;
  }
}
