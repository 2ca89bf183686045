package dev.portcullis.gateway.guardrail;

/**
 * What a whole-text check may know about the text it judges besides the text itself (the webhook
 * passes it on).
 *
 * @param stage {@code input} or {@code output}
 * @param policy the policy's {@code namespace/name}
 * @param check the check's name in its policy
 * @param tokens the judged text's token count when the caller already has one (on input: the
 *     prompt's tokens as the gateway counts them for its limits, counted once per request and
 *     shared with admission), else null and a check counts for itself
 */
public record CheckContext(
    String stage, String policy, String check, GuardrailRequest request, TokenCount tokens) {

  public CheckContext(String stage, String policy, String check, GuardrailRequest request) {
    this(stage, policy, check, request, null);
  }
}
