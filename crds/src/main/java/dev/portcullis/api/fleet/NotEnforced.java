package dev.portcullis.api.fleet;

import java.util.List;

/**
 * One snapshot entry a gateway applied but cannot enforce, because it needs a capability the
 * gateway lacks ({@link GatewayCapabilities}). The gateway serves the rest of the snapshot; a route
 * in this list answers 503 rather than being served without what it asks for.
 *
 * @param kind the resource kind: {@code LLMRoute}, {@code GuardrailPolicy} or {@code
 *     PromptTemplate}
 * @param name the resource as {@code namespace/name}
 * @param missing the capabilities it needs and the gateway lacks, as {@link
 *     GatewayCapabilities#names} spells them (e.g. {@code guardrail/regex}), sorted
 * @param reason what a person reads: what the entry needs and through which reference
 */
public record NotEnforced(String kind, String name, List<String> missing, String reason) {
  public NotEnforced {
    missing = List.copyOf(missing);
  }
}
