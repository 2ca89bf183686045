package dev.portcullis.gateway.guardrail;

import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Action;

/**
 * One compiled check as its policy uses it.
 *
 * @param policy the policy's {@code namespace/name}
 * @param name the check's name in the policy
 * @param policyMessage the policy's {@code message}, or null
 * @param <C> the kind of check: {@link SpanCheck} or {@link WholeTextCheck} once sorted by kind
 */
record PolicyCheck<C extends ContentCheck>(
    String policy,
    String name,
    Action action,
    boolean onInput,
    boolean onOutput,
    String policyMessage,
    C check) {

  /** The same check typed as its kind. */
  <D extends ContentCheck> PolicyCheck<D> as(D kind) {
    return new PolicyCheck<>(policy, name, action, onInput, onOutput, policyMessage, kind);
  }

  /** {@code flagged:ns/policy/check} or {@code redacted:...}. */
  String verdict() {
    return (action == Action.FLAG ? "flagged:" : action == Action.REDACT ? "redacted:" : "denied:")
        + policy
        + "/"
        + name;
  }

  GuardrailDenial denial() {
    return GuardrailDenial.of(policy, name, policyMessage);
  }
}
