package dev.portcullis.api.resolve;

import dev.portcullis.api.guardrail.GuardrailCheck;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.guardrail.GuardrailPolicySpec;
import dev.portcullis.api.guardrail.Stage;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Check;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one {@link GuardrailPolicy} into a {@link GuardrailPolicyConfig}. Each check keeps the
 * settings of its one check type as written; the gateway's check implementations apply their own
 * defaults.
 */
final class PolicyResolver {
  private PolicyResolver() {}

  static void resolve(GuardrailPolicy policy, Candidate<GuardrailPolicyConfig> c) {
    GuardrailPolicySpec spec = policy.getSpec();
    if (spec == null) {
      c.problem("spec", "the GuardrailPolicy has no spec");
      return;
    }
    List<GuardrailCheck> checkSpecs = spec.getChecks() == null ? List.of() : spec.getChecks();
    if (checkSpecs.isEmpty()) {
      c.problem("spec.checks", "a policy needs at least one check");
    }
    List<Check> checks = new ArrayList<>();
    for (int i = 0; i < checkSpecs.size(); i++) {
      Check check = check(checkSpecs.get(i), "spec.checks[" + i + "]", c);
      if (check != null) {
        checks.add(check);
      }
    }
    if (c.isClean()) {
      c.config = new GuardrailPolicyConfig(c.id, checks, spec.getMessage());
    }
  }

  private static Check check(GuardrailCheck check, String field, Candidate<?> c) {
    Map<String, Object> types = new LinkedHashMap<>();
    types.put("regex", check.getRegex());
    types.put("pii", check.getPii());
    types.put("denyList", check.getDenyList());
    types.put("length", check.getLength());
    types.put("jsonSchema", check.getJsonSchema());
    types.put("promptInjection", check.getPromptInjection());
    types.put("webhook", check.getWebhook());
    types.values().removeIf(v -> v == null);
    if (types.size() != 1) {
      c.problem(
          field,
          (types.isEmpty() ? "sets no check type" : "sets " + String.join(" and ", types.keySet()))
              + "; set exactly one of regex, pii, denyList, length, jsonSchema, promptInjection,"
              + " webhook");
      return null;
    }
    if (check.getStages() == null || check.getStages().isEmpty()) {
      c.problem(field + ".stages", "say where the check runs: Input, Output or both");
      return null;
    }
    if (check.getAction() == null) {
      c.problem(field + ".action", "set the action: Deny, Redact or Flag");
      return null;
    }
    Set<GuardrailPolicyConfig.Stage> stages = EnumSet.noneOf(GuardrailPolicyConfig.Stage.class);
    for (Stage stage : check.getStages()) {
      stages.add(GuardrailPolicyConfig.Stage.valueOf(stage.name()));
    }
    Map.Entry<String, Object> type = types.entrySet().iterator().next();
    return new Check(
        check.getName(),
        stages,
        GuardrailPolicyConfig.Action.valueOf(check.getAction().name()),
        type.getKey(),
        SnapshotCodec.treeOf(type.getValue()));
  }
}
