package dev.portcullis.api.validation;

import dev.portcullis.api.guardrail.Action;
import dev.portcullis.api.guardrail.GuardrailCheck;
import dev.portcullis.api.guardrail.GuardrailPolicySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The rules of a {@code GuardrailPolicy}: each check has a unique name, its stages, an action and
 * exactly one check type, whose own settings are checked (regular expressions compile as RE2,
 * deny-list words are not blank, a length limit is given, a JSON Schema is valid, a webhook URL is
 * http(s), thresholds are within 0–1).
 */
final class PolicyValidator {
  /** Check types that judge the whole text and so cannot redact part of it. */
  private static final Set<String> WHOLE_TEXT =
      Set.of("length", "jsonSchema", "webhook", "promptInjection");

  private PolicyValidator() {}

  /** Adds the problems of {@code spec} to {@code checker}. */
  static void check(FieldChecker checker, GuardrailPolicySpec spec) {
    if (!checker.required("spec", spec)) {
      return;
    }
    List<GuardrailCheck> checks = spec.getChecks();
    if (!checker.required("spec.checks", checks)) {
      return;
    }
    for (int i = 0; i < checks.size(); i++) {
      checkGuardrail(checker, "spec.checks[" + i + "]", checks.get(i));
    }
    checker.unique("spec.checks", checks, GuardrailCheck::getName, "name", "check name");
  }

  private static void checkGuardrail(FieldChecker checker, String path, GuardrailCheck check) {
    if (!checker.required(path, check)) {
      return;
    }
    if (checker.required(path + ".name", check.getName())) {
      checker.dnsLabel(path + ".name", check.getName());
    }
    if (checker.required(path + ".stages", check.getStages())) {
      checker.unique(path + ".stages", check.getStages(), s -> Objects.toString(s), "", "stage");
    }
    checker.required(path + ".action", check.getAction());
    List<String> types = new ArrayList<>();
    addIfSet(types, "regex", check.getRegex());
    addIfSet(types, "pii", check.getPii());
    addIfSet(types, "denyList", check.getDenyList());
    addIfSet(types, "length", check.getLength());
    addIfSet(types, "jsonSchema", check.getJsonSchema());
    addIfSet(types, "promptInjection", check.getPromptInjection());
    addIfSet(types, "webhook", check.getWebhook());
    if (types.isEmpty()) {
      checker.add(
          path,
          "a check sets exactly one check type: add one of regex, pii, denyList, length,"
              + " jsonSchema, promptInjection, webhook");
    } else if (types.size() > 1) {
      checker.add(
          path,
          "a check sets exactly one check type, but this one sets "
              + String.join(" and ", types)
              + "; split it into one check per type");
    }
    if (check.getAction() == Action.REDACT
        && types.size() == 1
        && WHOLE_TEXT.contains(types.get(0))) {
      // These judge the whole text and find no span to mask; the gateway would deny instead.
      checker.add(
          path + ".action",
          "action Redact needs a check that finds spans (regex, pii, denyList), but "
              + types.get(0)
              + " judges the whole text; use Deny or Flag");
    }
    if (check.getRegex() != null
        && checker.required(path + ".regex.pattern", check.getRegex().getPattern())) {
      checker.regex(path + ".regex.pattern", check.getRegex().getPattern());
    }
    if (check.getDenyList() != null) {
      List<String> words = check.getDenyList().getWords();
      if (checker.required(path + ".denyList.words", words)) {
        for (int i = 0; i < words.size(); i++) {
          checker.required(path + ".denyList.words[" + i + "]", words.get(i));
        }
      }
    }
    if (check.getLength() != null) {
      Integer tokens = check.getLength().getMaxTokens();
      Integer characters = check.getLength().getMaxCharacters();
      if (tokens == null && characters == null) {
        checker.add(path + ".length", "length needs maxTokens or maxCharacters");
      }
      checker.atLeast(path + ".length.maxTokens", tokens, 1);
      checker.atLeast(path + ".length.maxCharacters", characters, 1);
    }
    if (check.getJsonSchema() != null) {
      JsonSchemaDocumentChecker.check(
          checker, path + ".jsonSchema.schema", check.getJsonSchema().getSchema());
    }
    if (check.getPromptInjection() != null) {
      checker.range(
          path + ".promptInjection.threshold", check.getPromptInjection().getThreshold(), 0, 1);
    }
    if (check.getWebhook() != null) {
      if (checker.required(path + ".webhook.url", check.getWebhook().getUrl())) {
        checker.httpUrl(path + ".webhook.url", check.getWebhook().getUrl());
      }
      checker.positiveDuration(path + ".webhook.timeout", check.getWebhook().getTimeout());
    }
  }

  private static void addIfSet(List<String> names, String name, Object value) {
    if (value != null) {
      names.add(name);
    }
  }
}
