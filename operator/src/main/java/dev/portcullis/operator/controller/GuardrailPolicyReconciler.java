package dev.portcullis.operator.controller;

import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.guardrail.GuardrailPolicyStatus;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.operator.snapshot.Kinds;
import java.util.Optional;
import java.util.stream.Collectors;

/** Status of GuardrailPolicies: the four conditions and the check names the fleet runs. */
public final class GuardrailPolicyReconciler
    extends StatusReconciler<GuardrailPolicy, GuardrailPolicyStatus, Void> {
  public GuardrailPolicyReconciler(OperatorContext operator) {
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
      GuardrailPolicy policy,
      Optional<Void> acted) {
    if (report.record() instanceof GuardrailPolicyConfig config) {
      status.setChecks(
          config.checks().stream()
              .map(GuardrailPolicyConfig.Check::name)
              .collect(Collectors.joining(",")));
    }
  }
}
