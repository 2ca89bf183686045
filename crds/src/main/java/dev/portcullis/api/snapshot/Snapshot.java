package dev.portcullis.api.snapshot;

import java.util.List;

/**
 * The one thing a gateway needs: every valid resource, resolved. Immutable; a gateway swaps a whole
 * snapshot atomically. {@code version} is a content hash ({@code sha256:<hex>}) of everything else,
 * so equal content means an equal version.
 */
public record Snapshot(
    int schemaVersion,
    String version,
    List<RouteConfig> routes,
    List<KeyConfig> keys,
    List<GuardrailPolicyConfig> policies,
    List<PromptTemplateConfig> templates) {

  public static final int SCHEMA_VERSION = 1;

  public Snapshot {
    routes = List.copyOf(routes);
    keys = List.copyOf(keys);
    policies = List.copyOf(policies);
    templates = List.copyOf(templates);
  }
}
