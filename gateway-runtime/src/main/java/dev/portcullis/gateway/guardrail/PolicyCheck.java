package dev.portcullis.gateway.guardrail;

import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Action;

/**
 * One compiled check as its policy uses it.
 *
 * @param policy the policy's {@code namespace/name}
 * @param name the check's name in the policy
 * @param policyMessage the policy's {@code message}, or null
 */
record PolicyCheck(
    String policy,
    String name,
    Action action,
    boolean onInput,
    boolean onOutput,
    String policyMessage,
    ContentCheck check) {

  boolean findsSpans() {
    return check.reading() == ContentCheck.Reading.SPANS;
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
