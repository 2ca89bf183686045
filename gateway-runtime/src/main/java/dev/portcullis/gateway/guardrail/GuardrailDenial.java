package dev.portcullis.gateway.guardrail;

/**
 * A check with action {@code Deny} fired (or a whole-text check with {@code Redact}, which cannot
 * mask part of a text, or a policy the gateway could not compile: both fail closed).
 *
 * @param policy the policy's {@code namespace/name}
 * @param check the check's name
 * @param message what the caller is told: the policy's {@code message} (or a generic one) plus the
 *     policy and check names; never the matched text
 */
public record GuardrailDenial(String policy, String check, String message) {

  static GuardrailDenial of(String policy, String check, String policyMessage) {
    String base =
        policyMessage == null || policyMessage.isBlank()
            ? "Blocked by a guardrail policy"
            : policyMessage;
    return new GuardrailDenial(
        policy, check, base + " (policy " + policy + ", check " + check + ")");
  }

  /** The verdict as reported in {@code x-portcullis-guardrails}: {@code denied:ns/policy/check}. */
  public String verdict() {
    return "denied:" + policy + "/" + check;
  }
}
