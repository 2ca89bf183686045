package dev.portcullis.gateway.guardrail;

/**
 * What a whole-text check may know about the text it judges besides the text itself (the webhook
 * passes it on).
 *
 * @param stage {@code input} or {@code output}
 * @param policy the policy's {@code namespace/name}
 * @param check the check's name in its policy
 */
public record CheckContext(String stage, String policy, String check, GuardrailRequest request) {}
