package dev.portcullis.api.validation;

import dev.portcullis.api.Provider;
import dev.portcullis.api.ValidationPatterns;
import dev.portcullis.api.route.Access;
import dev.portcullis.api.route.Cache;
import dev.portcullis.api.route.CacheMode;
import dev.portcullis.api.route.ConditionalRule;
import dev.portcullis.api.route.Cooldown;
import dev.portcullis.api.route.GuardrailRefs;
import dev.portcullis.api.route.LLMRouteSpec;
import dev.portcullis.api.route.Retry;
import dev.portcullis.api.route.Strategy;
import dev.portcullis.api.route.StrategyMode;
import dev.portcullis.api.route.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of an {@code LLMRoute}: targets (exactly one of provider or route, the settings each
 * provider needs, URLs, durations, money, bounds), the strategy and its condition matchers, retry,
 * cooldown, cache, and the well-formedness of the policies, template and namespaces it names.
 */
final class RouteValidator {
  private static final Pattern NAMESPACE_OR_ALL =
      Pattern.compile(ValidationPatterns.NAMESPACE_OR_ALL);

  private RouteValidator() {}

  /** Adds the problems of {@code spec} to {@code checker}. */
  static void check(FieldChecker checker, LLMRouteSpec spec) {
    if (!checker.required("spec", spec)) {
      return;
    }
    checker.required("spec.model", spec.getModel());
    List<String> aliases = spec.getAliases();
    if (aliases != null) {
      for (int i = 0; i < aliases.size(); i++) {
        checker.required("spec.aliases[" + i + "]", aliases.get(i));
      }
      checker.unique("spec.aliases", aliases, a -> a, "", "alias");
    }
    List<Target> targets = spec.getTargets();
    Set<String> targetNames = new LinkedHashSet<>();
    if (checker.required("spec.targets", targets)) {
      for (int i = 0; i < targets.size(); i++) {
        checkTarget(checker, "spec.targets[" + i + "]", targets.get(i));
        if (targets.get(i) != null && targets.get(i).getName() != null) {
          targetNames.add(targets.get(i).getName());
        }
      }
      checker.unique("spec.targets", targets, Target::getName, "name", "target name");
    }
    checkStrategy(checker, spec.getStrategy(), targetNames);
    checkRetry(checker, spec.getRetry());
    checkCooldown(checker, spec.getCooldown());
    checker.duration("spec.timeout", spec.getTimeout());
    checkCache(checker, spec.getCache());
    checkGuardrailRefs(checker, spec.getGuardrails());
    checker.objectRef("spec.promptTemplate", spec.getPromptTemplate());
    checkAccess(checker, spec.getAccess());
  }

  private static void checkTarget(FieldChecker checker, String path, Target target) {
    if (!checker.required(path, target)) {
      return;
    }
    if (checker.required(path + ".name", target.getName())) {
      checker.dnsLabel(path + ".name", target.getName());
    }
    boolean hasProvider = target.getProvider() != null;
    boolean hasRoute = target.getRoute() != null;
    if (hasProvider == hasRoute) {
      checker.add(
          path,
          hasProvider
              ? "a target sets exactly one of provider or route, not both"
              : "a target sets exactly one of provider or route: add provider (e.g. openai) or"
                  + " route (another LLMRoute)");
    }
    if (hasRoute) {
      checker.objectRef(path + ".route", target.getRoute());
      List<String> providerSettings = new ArrayList<>();
      addIfSet(providerSettings, "model", target.getModel());
      addIfSet(providerSettings, "baseUrl", target.getBaseUrl());
      addIfSet(providerSettings, "credentials", target.getCredentials());
      addIfSet(providerSettings, "azure", target.getAzure());
      addIfSet(providerSettings, "pricing", target.getPricing());
      addIfSet(providerSettings, "limits", target.getLimits());
      if (!providerSettings.isEmpty()) {
        checker.add(
            path,
            "a target that is another route takes no provider settings; remove "
                + String.join(", ", providerSettings));
      }
    }
    if (target.getProvider() == Provider.OPENAI_COMPATIBLE && target.getBaseUrl() == null) {
      checker.add(
          path + ".baseUrl",
          "provider openai-compatible needs baseUrl, the server's API root (e.g."
              + " http://vllm:8000/v1)");
    }
    if (target.getProvider() == Provider.AZURE_OPENAI && target.getBaseUrl() == null) {
      checker.add(
          path + ".baseUrl",
          "provider azure-openai needs baseUrl, the resource endpoint (e.g."
              + " https://my-resource.openai.azure.com)");
    }
    if (target.getModel() != null && target.getModel().isBlank()) {
      checker.add(path + ".model", "is empty; give the upstream model name or leave model out");
    }
    checker.httpUrl(path + ".baseUrl", target.getBaseUrl());
    if (target.getCredentials() != null) {
      checker.secretKeySelector(
          path + ".credentials.secretRef", target.getCredentials().getSecretRef());
    }
    checker.range(path + ".weight", target.getWeight(), 1, 10000);
    if (target.getTimeouts() != null) {
      checker.positiveDuration(path + ".timeouts.connect", target.getTimeouts().getConnect());
      checker.positiveDuration(path + ".timeouts.firstByte", target.getTimeouts().getFirstByte());
      checker.positiveDuration(path + ".timeouts.total", target.getTimeouts().getTotal());
    }
    if (target.getPricing() != null) {
      checker.money(path + ".pricing.inputPerMTok", target.getPricing().getInputPerMTok());
      checker.money(path + ".pricing.outputPerMTok", target.getPricing().getOutputPerMTok());
      checker.money(
          path + ".pricing.cachedInputPerMTok", target.getPricing().getCachedInputPerMTok());
    }
    if (target.getLimits() != null) {
      checker.atLeast(
          path + ".limits.requestsPerMinute", target.getLimits().getRequestsPerMinute(), 1);
      checker.atLeast(path + ".limits.tokensPerMinute", target.getLimits().getTokensPerMinute(), 1);
    }
  }

  private static void addIfSet(List<String> names, String name, Object value) {
    if (value != null) {
      names.add(name);
    }
  }

  private static void checkStrategy(FieldChecker checker, Strategy strategy, Set<String> targets) {
    if (strategy == null) {
      return;
    }
    checker.required("spec.strategy.mode", strategy.getMode());
    List<ConditionalRule> conditions = strategy.getConditions();
    if (strategy.getMode() == StrategyMode.CONDITIONAL
        && (conditions == null || conditions.isEmpty())) {
      checker.add(
          "spec.strategy.conditions",
          "mode Conditional needs at least one entry in conditions, e.g. {when:"
              + " {\"metadata.tier\": {eq: pro}}, target: <target name>}");
    }
    if (conditions != null) {
      ConditionMatcherChecker matchers = new ConditionMatcherChecker(checker);
      for (int i = 0; i < conditions.size(); i++) {
        String path = "spec.strategy.conditions[" + i + "]";
        ConditionalRule rule = conditions.get(i);
        if (!checker.required(path, rule)) {
          continue;
        }
        matchers.check(path + ".when", rule.getWhen());
        if (checker.required(path + ".target", rule.getTarget())) {
          checkNamesTarget(checker, path + ".target", rule.getTarget(), targets);
        }
      }
    }
    if (strategy.getDefaultTarget() != null) {
      checkNamesTarget(checker, "spec.strategy.default", strategy.getDefaultTarget(), targets);
    }
    if (strategy.getFallbackOn() != null) {
      checkStatusCodes(
          checker,
          "spec.strategy.fallbackOn.statusCodes",
          strategy.getFallbackOn().getStatusCodes());
    }
    if (strategy.getHedge() != null) {
      if (checker.required("spec.strategy.hedge.after", strategy.getHedge().getAfter())) {
        checker.positiveDuration("spec.strategy.hedge.after", strategy.getHedge().getAfter());
      }
    }
    if (strategy.getAdaptive() != null) {
      String path = "spec.strategy.adaptive.";
      checker.range(path + "latencyWeight", strategy.getAdaptive().getLatencyWeight(), 0, 1);
      checker.range(path + "errorWeight", strategy.getAdaptive().getErrorWeight(), 0, 1);
      checker.range(path + "costWeight", strategy.getAdaptive().getCostWeight(), 0, 1);
      checker.range(path + "explore", strategy.getAdaptive().getExplore(), 0, 1);
    }
  }

  private static void checkNamesTarget(
      FieldChecker checker, String path, String name, Set<String> targets) {
    if (!targets.contains(name)) {
      checker.add(
          path, "'" + name + "' is not one of this route's targets " + List.copyOf(targets));
    }
  }

  private static void checkStatusCodes(FieldChecker checker, String path, List<Integer> codes) {
    if (codes == null) {
      return;
    }
    for (int i = 0; i < codes.size(); i++) {
      if (checker.required(path + "[" + i + "]", codes.get(i))) {
        checker.range(path + "[" + i + "]", codes.get(i), 100, 599);
      }
    }
  }

  private static void checkRetry(FieldChecker checker, Retry retry) {
    if (retry == null) {
      return;
    }
    checker.range("spec.retry.attempts", retry.getAttempts(), 0, 10);
    if (retry.getBackoff() != null) {
      Duration base =
          checker.positiveDuration("spec.retry.backoff.base", retry.getBackoff().getBase());
      Duration max =
          checker.positiveDuration("spec.retry.backoff.max", retry.getBackoff().getMax());
      if (base != null && max != null && base.compareTo(max) > 0) {
        checker.add(
            "spec.retry.backoff",
            "base ("
                + retry.getBackoff().getBase()
                + ") is longer than max ("
                + retry.getBackoff().getMax()
                + "); max caps the growing wait, so make it at least base");
      }
    }
    checkStatusCodes(checker, "spec.retry.onStatusCodes", retry.getOnStatusCodes());
    checker.duration("spec.retry.maxRetryAfter", retry.getMaxRetryAfter());
  }

  private static void checkCooldown(FieldChecker checker, Cooldown cooldown) {
    if (cooldown == null) {
      return;
    }
    if (checker.required("spec.cooldown.failures", cooldown.getFailures())) {
      checker.atLeast("spec.cooldown.failures", cooldown.getFailures(), 1);
    }
    checker.positiveDuration("spec.cooldown.window", cooldown.getWindow());
    if (checker.required("spec.cooldown.duration", cooldown.getDuration())) {
      checker.positiveDuration("spec.cooldown.duration", cooldown.getDuration());
    }
  }

  private static void checkCache(FieldChecker checker, Cache cache) {
    if (cache == null) {
      return;
    }
    checker.required("spec.cache.mode", cache.getMode());
    checker.positiveDuration("spec.cache.ttl", cache.getTtl());
    if (cache.getSemantic() != null) {
      if (cache.getMode() != null && cache.getMode() != CacheMode.SEMANTIC) {
        checker.add(
            "spec.cache.semantic",
            "semantic settings need mode Semantic (mode is " + cache.getMode().wireName() + ")");
      }
      checker.range("spec.cache.semantic.threshold", cache.getSemantic().getThreshold(), 0, 1);
    }
  }

  private static void checkGuardrailRefs(FieldChecker checker, GuardrailRefs refs) {
    if (refs == null) {
      return;
    }
    checker.objectRefs("spec.guardrails.input", refs.getInput());
    checker.objectRefs("spec.guardrails.output", refs.getOutput());
  }

  private static void checkAccess(FieldChecker checker, Access access) {
    if (access == null || access.getNamespaces() == null) {
      return;
    }
    List<String> namespaces = access.getNamespaces();
    for (int i = 0; i < namespaces.size(); i++) {
      String ns = namespaces.get(i);
      String path = "spec.access.namespaces[" + i + "]";
      if (checker.required(path, ns) && !NAMESPACE_OR_ALL.matcher(ns).matches()) {
        checker.add(path, "'" + ns + "' is not a namespace name (or \"*\" for all namespaces)");
      }
    }
  }
}
