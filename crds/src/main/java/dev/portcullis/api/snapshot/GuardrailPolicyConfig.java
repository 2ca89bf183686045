package dev.portcullis.api.snapshot;

import java.util.List;
import java.util.Set;

/**
 * A resolved {@code GuardrailPolicy}.
 *
 * @param message what a denied caller is told (null = a generic message)
 */
public record GuardrailPolicyConfig(ResourceId id, List<Check> checks, String message) {
  public GuardrailPolicyConfig {
    checks = List.copyOf(checks);
  }

  /**
   * @param type the check type as named in the CRD: regex, pii, denyList, length, jsonSchema,
   *     promptInjection, webhook
   * @param settings that type's settings object as written in the CRD
   */
  public record Check(
      String name, Set<Stage> stages, Action action, String type, JsonTree settings) {
    public Check {
      stages = Set.copyOf(stages);
    }
  }

  public enum Stage {
    INPUT,
    OUTPUT
  }

  public enum Action {
    DENY,
    REDACT,
    FLAG
  }
}
