package dev.portcullis.api.validation;

import dev.portcullis.api.ValidationPatterns;
import dev.portcullis.api.prompt.PromptMessage;
import dev.portcullis.api.prompt.PromptTemplateSpec;
import dev.portcullis.api.prompt.PromptVersion;
import dev.portcullis.api.prompt.RolloutEntry;
import dev.portcullis.api.prompt.Variable;
import dev.portcullis.api.template.CompiledTemplate;
import dev.portcullis.api.template.TemplateSyntax;
import dev.portcullis.api.template.TemplateSyntaxException;
import dev.portcullis.api.template.TemplateTag;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a {@code PromptTemplate}: variables (identifiers, unique, not both required and
 * defaulted), versions (unique names, messages with a role and content that compiles as Mustache
 * with the gateway's own compiler and reads only declared variables), the rollout (existing
 * versions, each once, weights summing to 100) and {@code stickyOn}.
 */
final class TemplateValidator {
  private static final Pattern IDENTIFIER = Pattern.compile(ValidationPatterns.IDENTIFIER);

  private TemplateValidator() {}

  /** Adds the problems of {@code spec} to {@code checker}. */
  static void check(FieldChecker checker, PromptTemplateSpec spec) {
    if (!checker.required("spec", spec)) {
      return;
    }
    Set<String> declared = new HashSet<>();
    List<Variable> variables = spec.getVariables();
    if (variables != null) {
      for (int i = 0; i < variables.size(); i++) {
        String path = "spec.variables[" + i + "]";
        Variable variable = variables.get(i);
        if (!checker.required(path, variable)
            || !checker.required(path + ".name", variable.getName())) {
          continue;
        }
        if (!IDENTIFIER.matcher(variable.getName()).matches()) {
          checker.add(
              path + ".name",
              "'"
                  + variable.getName()
                  + "' is not a variable name: use letters, digits and '_', not starting with a"
                  + " digit");
        }
        declared.add(variable.getName());
        if (Boolean.TRUE.equals(variable.getRequired()) && variable.getDefaultValue() != null) {
          checker.add(
              path,
              "variable '"
                  + variable.getName()
                  + "' is required and has a default; a default means callers may leave it out,"
                  + " so remove one of the two");
        }
      }
      checker.unique("spec.variables", variables, Variable::getName, "name", "variable name");
    }
    List<PromptVersion> versions = spec.getVersions();
    Set<String> versionNames = new LinkedHashSet<>();
    if (checker.required("spec.versions", versions)) {
      for (int i = 0; i < versions.size(); i++) {
        String path = "spec.versions[" + i + "]";
        PromptVersion version = versions.get(i);
        if (!checker.required(path, version)) {
          continue;
        }
        if (checker.required(path + ".name", version.getName())) {
          checker.dnsLabel(path + ".name", version.getName());
          versionNames.add(version.getName());
        }
        checkMessages(checker, path + ".messages", version.getMessages(), declared);
        checker.objectRef(path + ".route", version.getRoute());
      }
      checker.unique("spec.versions", versions, PromptVersion::getName, "name", "version name");
    }
    checkRollout(checker, spec.getRollout(), versionNames);
    if (spec.getStickyOn() != null && !ConditionMatcherChecker.isAttribute(spec.getStickyOn())) {
      checker.add(
          "spec.stickyOn",
          "'"
              + spec.getStickyOn()
              + "' is not a request attribute: use metadata.<key>, params.<name> or"
              + " headers.<name>, e.g. metadata.user_id");
    }
  }

  private static void checkMessages(
      FieldChecker checker, String path, List<PromptMessage> messages, Set<String> declared) {
    if (!checker.required(path, messages)) {
      return;
    }
    for (int i = 0; i < messages.size(); i++) {
      String messagePath = path + "[" + i + "]";
      PromptMessage message = messages.get(i);
      if (!checker.required(messagePath, message)) {
        continue;
      }
      checker.required(messagePath + ".role", message.getRole());
      if (message.getContent() == null) {
        checker.add(messagePath + ".content", "required field is missing");
        continue;
      }
      checkContent(checker, messagePath + ".content", message.getContent(), declared);
    }
  }

  /**
   * Compiles the content with the gateway's own compiler ({@link TemplateSyntax}), so a template
   * accepted here is one the gateway renders; then every variable it reads, in sections too, must
   * be declared. Each name is reported once per message.
   */
  private static void checkContent(
      FieldChecker checker, String path, String content, Set<String> declared) {
    CompiledTemplate template;
    try {
      template = TemplateSyntax.compile(content);
    } catch (TemplateSyntaxException e) {
      checker.add(path, "is not a valid Mustache template: " + e.getMessage());
      return;
    }
    Set<String> reported = new HashSet<>();
    for (TemplateTag tag : template.tags()) {
      String variable = tag.variable();
      if (variable == null || !reported.add(variable)) {
        continue;
      }
      if (!isVariablePath(tag.name())) {
        checker.add(
            path, tag.written() + " is not a variable: placeholders hold one variable name");
      } else if (!declared.contains(variable)) {
        checker.add(
            path,
            "uses "
                + tag.written()
                + ", which is not declared in spec.variables; declare it (with required:"
                + " true or a default)");
      }
    }
  }

  /** A variable name, or a path into one such as {@code user.name}. */
  private static boolean isVariablePath(String name) {
    for (String part : name.split("\\.", -1)) {
      if (!IDENTIFIER.matcher(part).matches()) {
        return false;
      }
    }
    return true;
  }

  private static void checkRollout(
      FieldChecker checker, List<RolloutEntry> rollout, Set<String> versions) {
    if (rollout == null || rollout.isEmpty()) {
      return;
    }
    int sum = 0;
    for (int i = 0; i < rollout.size(); i++) {
      String path = "spec.rollout[" + i + "]";
      RolloutEntry entry = rollout.get(i);
      if (!checker.required(path, entry)) {
        continue;
      }
      if (checker.required(path + ".version", entry.getVersion())
          && !versions.contains(entry.getVersion())) {
        checker.add(
            path + ".version",
            "'" + entry.getVersion() + "' is not one of spec.versions " + List.copyOf(versions));
      }
      if (checker.required(path + ".weight", entry.getWeight())) {
        checker.range(path + ".weight", entry.getWeight(), 0, 100);
        sum += entry.getWeight();
      }
    }
    checker.unique("spec.rollout", rollout, RolloutEntry::getVersion, "version", "version");
    if (sum != 100) {
      checker.add("spec.rollout", "weights sum to " + sum + "; they must sum to 100");
    }
  }
}
