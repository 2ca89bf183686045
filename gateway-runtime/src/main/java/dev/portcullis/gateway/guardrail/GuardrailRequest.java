package dev.portcullis.gateway.guardrail;

import java.util.Map;

/**
 * What the guardrails may know about a request besides its text: sent to webhooks and nothing else.
 * It never holds a key, only the key's public id.
 *
 * @param requestId the gateway's id of the request, as in its logs
 * @param route the route's {@code namespace/name}
 * @param model the model name the client sent
 * @param keyId the virtual key's public id ({@code vk_...}), never the key
 * @param keyNamespace the namespace of the virtual key
 * @param keyMetadata the key's metadata labels (team, cost center)
 */
public record GuardrailRequest(
    String requestId,
    String route,
    String model,
    String keyId,
    String keyNamespace,
    Map<String, String> keyMetadata) {
  public GuardrailRequest {
    keyMetadata = keyMetadata == null ? Map.of() : Map.copyOf(keyMetadata);
  }

  /** A request known only by its id, e.g. in tests. */
  public static GuardrailRequest anonymous(String requestId) {
    return new GuardrailRequest(requestId, null, null, null, null, Map.of());
  }
}
