package dev.portcullis.operator;

import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.guardrail.GuardrailPolicyStatus;

/** Status of GuardrailPolicies: the four conditions. */
final class GuardrailPolicyReconciler
    extends StatusReconciler<GuardrailPolicy, GuardrailPolicyStatus> {
  GuardrailPolicyReconciler(OperatorContext operator) {
    super(operator, Kinds.POLICY);
  }

  @Override
  protected GuardrailPolicyStatus newStatus(GuardrailPolicyStatus previous) {
    return new GuardrailPolicyStatus();
  }
}
