package dev.portcullis.operator;

import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.guardrail.GuardrailPolicyStatus;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import java.util.stream.Collectors;

/** Status of GuardrailPolicies: the four conditions and the check names the fleet runs. */
final class GuardrailPolicyReconciler
    extends StatusReconciler<GuardrailPolicy, GuardrailPolicyStatus> {
  GuardrailPolicyReconciler(OperatorContext operator) {
    super(operator, Kinds.POLICY);
  }

  @Override
  protected GuardrailPolicyStatus newStatus(GuardrailPolicyStatus previous) {
    return new GuardrailPolicyStatus();
  }

  @Override
  protected void fill(
      GuardrailPolicyStatus status,
      GuardrailPolicyStatus previous,
      ResourceReport report,
      GuardrailPolicy policy) {
    if (report.record() instanceof GuardrailPolicyConfig config) {
      status.setChecks(
          config.checks().stream()
              .map(GuardrailPolicyConfig.Check::name)
              .collect(Collectors.joining(",")));
    }
  }
}
