package dev.portcullis.api.validation;

import dev.portcullis.api.ObjectRef;
import dev.portcullis.api.Problem;
import dev.portcullis.api.Provider;
import dev.portcullis.api.SecretKeySelector;
import dev.portcullis.api.ValidationPatterns;
import dev.portcullis.api.guardrail.GuardrailCheck;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.guardrail.GuardrailPolicySpec;
import dev.portcullis.api.key.Budget;
import dev.portcullis.api.key.KeyLimits;
import dev.portcullis.api.key.ProviderCredential;
import dev.portcullis.api.key.Rotation;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.key.VirtualKeySpec;
import dev.portcullis.api.prompt.PromptMessage;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.prompt.PromptTemplateSpec;
import dev.portcullis.api.prompt.PromptVersion;
import dev.portcullis.api.prompt.RolloutEntry;
import dev.portcullis.api.prompt.Variable;
import dev.portcullis.api.route.Access;
import dev.portcullis.api.route.Cache;
import dev.portcullis.api.route.CacheMode;
import dev.portcullis.api.route.ConditionalRule;
import dev.portcullis.api.route.Cooldown;
import dev.portcullis.api.route.GuardrailRefs;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.route.LLMRouteSpec;
import dev.portcullis.api.route.Retry;
import dev.portcullis.api.route.Strategy;
import dev.portcullis.api.route.StrategyMode;
import dev.portcullis.api.route.Target;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The business rules of the Portcullis resources, beyond what a CRD's OpenAPI schema can say:
 * values that must parse (durations, money, timestamps, URLs, regular expressions, JSON Schemas,
 * condition matchers), well-formed references, and the CRDs' cross-field CEL rules again in Java,
 * because standalone mode has no API server to evaluate them.
 *
 * <p>The checks look at one resource alone; whether references resolve is the resolver's business.
 * Every problem names the field ({@code spec.targets[1].timeouts.firstByte}) and says what to do;
 * all problems are returned, in field order of the resource. Secret values never appear in them.
 */
public final class ResourceValidator {
  private static final Pattern ROUTE_REFERENCE =
      Pattern.compile(ValidationPatterns.ROUTE_REFERENCE);
  private static final Pattern NAMESPACE_OR_ALL =
      Pattern.compile(ValidationPatterns.NAMESPACE_OR_ALL);
  private static final Pattern IDENTIFIER = Pattern.compile(ValidationPatterns.IDENTIFIER);

  /** A template placeholder such as {@code {{ question }}}. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

  private ResourceValidator() {}

  /** All problems of {@code resource}; empty when it is valid. */
  public static List<Problem> validate(HasMetadata resource) {
    FieldChecker checker = new FieldChecker();
    if (resource == null) {
      checker.add("", "no resource");
      return checker.problems();
    }
    checkMetadata(checker, resource.getMetadata());
    switch (resource) {
      case LLMRoute route -> checkRoute(checker, route.getSpec());
      case VirtualKey key -> checkKey(checker, key.getSpec());
      case GuardrailPolicy policy -> checkPolicy(checker, policy.getSpec());
      case PromptTemplate template -> checkTemplate(checker, template.getSpec());
      case Secret secret -> checkSecret(checker, secret);
      default ->
          checker.add(
              "kind",
              "'"
                  + resource.getKind()
                  + "' is not a kind Portcullis reads: use LLMRoute, VirtualKey, GuardrailPolicy,"
                  + " PromptTemplate or Secret");
    }
    return checker.problems();
  }

  private static void checkMetadata(FieldChecker checker, ObjectMeta metadata) {
    if (metadata == null) {
      checker.add("metadata.name", "required field is missing");
      return;
    }
    if (checker.required("metadata.name", metadata.getName())) {
      checker.dnsSubdomain("metadata.name", metadata.getName());
    }
    checker.dnsLabel("metadata.namespace", metadata.getNamespace());
  }

  // ---- LLMRoute

  private static void checkRoute(FieldChecker checker, LLMRouteSpec spec) {
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
    checkObjectRef(checker, "spec.promptTemplate", spec.getPromptTemplate());
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
      checkObjectRef(checker, path + ".route", target.getRoute());
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
      checkSecretKeySelector(
          checker, path + ".credentials.secretRef", target.getCredentials().getSecretRef());
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
    checkObjectRefs(checker, "spec.guardrails.input", refs.getInput());
    checkObjectRefs(checker, "spec.guardrails.output", refs.getOutput());
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

  // ---- VirtualKey

  private static void checkKey(FieldChecker checker, VirtualKeySpec spec) {
    if (!checker.required("spec", spec)) {
      return;
    }
    if (checker.required("spec.secretName", spec.getSecretName())) {
      checker.dnsSubdomain("spec.secretName", spec.getSecretName());
    }
    List<String> routes = spec.getRoutes();
    if (routes != null) {
      for (int i = 0; i < routes.size(); i++) {
        String path = "spec.routes[" + i + "]";
        String route = routes.get(i);
        if (checker.required(path, route) && !ROUTE_REFERENCE.matcher(route).matches()) {
          checker.add(
              path,
              "'"
                  + route
                  + "' is not a route reference: write name (this namespace) or namespace/name,"
                  + " in lower-case letters, digits and '-'");
        }
      }
      checker.unique("spec.routes", routes, r -> r, "", "route");
    }
    KeyLimits limits = spec.getLimits();
    if (limits != null) {
      checker.atLeast("spec.limits.requestsPerMinute", limits.getRequestsPerMinute(), 1);
      checker.atLeast("spec.limits.tokensPerMinute", limits.getTokensPerMinute(), 1);
      checker.atLeast("spec.limits.maxConcurrent", limits.getMaxConcurrent(), 1);
    }
    Budget budget = spec.getBudget();
    if (budget != null) {
      if (checker.required("spec.budget.amountUSD", budget.getAmountUsd())) {
        checker.money("spec.budget.amountUSD", budget.getAmountUsd());
      }
      checker.required("spec.budget.period", budget.getPeriod());
    }
    checker.timestamp("spec.expiresAt", spec.getExpiresAt());
    Rotation rotation = spec.getRotation();
    if (rotation != null) {
      if (checker.required("spec.rotation.every", rotation.getEvery())) {
        checker.positiveDuration("spec.rotation.every", rotation.getEvery());
      }
      checker.duration("spec.rotation.gracePeriod", rotation.getGracePeriod());
    }
    List<ProviderCredential> credentials = spec.getProviderCredentials();
    if (credentials != null) {
      for (int i = 0; i < credentials.size(); i++) {
        String path = "spec.providerCredentials[" + i + "]";
        ProviderCredential credential = credentials.get(i);
        if (checker.required(path, credential)) {
          checker.required(path + ".provider", credential.getProvider());
          checkSecretKeySelector(checker, path + ".secretRef", credential.getSecretRef());
        }
      }
      checker.unique(
          "spec.providerCredentials",
          credentials,
          c -> c.getProvider() == null ? null : c.getProvider().wireName(),
          "provider",
          "a credential for provider");
    }
    Map<String, String> metadata = spec.getMetadata();
    if (metadata != null) {
      metadata.keySet().stream()
          .filter(k -> k == null || k.isBlank())
          .findFirst()
          .ifPresent(k -> checker.add("spec.metadata", "metadata keys must not be empty"));
    }
  }

  // ---- GuardrailPolicy

  private static void checkPolicy(FieldChecker checker, GuardrailPolicySpec spec) {
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

  // ---- PromptTemplate

  private static void checkTemplate(FieldChecker checker, PromptTemplateSpec spec) {
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
        checkObjectRef(checker, path + ".route", version.getRoute());
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
      Matcher placeholder = PLACEHOLDER.matcher(message.getContent());
      Set<String> reported = new HashSet<>();
      while (placeholder.find()) {
        String name = placeholder.group(1);
        if (!reported.add(name)) {
          continue;
        }
        if (!IDENTIFIER.matcher(name).matches()) {
          checker.add(
              messagePath + ".content",
              "{{" + name + "}} is not a variable: placeholders hold one variable name");
        } else if (!declared.contains(name)) {
          checker.add(
              messagePath + ".content",
              "uses {{"
                  + name
                  + "}}, which is not declared in spec.variables; declare it (with required:"
                  + " true or a default)");
        }
      }
    }
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

  // ---- Secret

  private static void checkSecret(FieldChecker checker, Secret secret) {
    Map<String, String> data = secret.getData();
    if (data != null) {
      for (Map.Entry<String, String> entry : data.entrySet()) {
        String path = "data." + entry.getKey();
        checker.secretKey(path, entry.getKey());
        if (entry.getValue() == null) {
          checker.add(path, "has no value");
          continue;
        }
        try {
          Base64.getDecoder().decode(entry.getValue().strip());
        } catch (IllegalArgumentException e) {
          // Say nothing about the value itself: it is secret.
          checker.add(
              path, "is not valid base64; put plain text under stringData, or base64 under data");
        }
      }
    }
    Map<String, String> stringData = secret.getStringData();
    if (stringData != null) {
      stringData.keySet().forEach(k -> checker.secretKey("stringData." + k, k));
    }
  }

  // ---- references

  private static void checkObjectRefs(FieldChecker checker, String path, List<ObjectRef> refs) {
    if (refs == null) {
      return;
    }
    for (int i = 0; i < refs.size(); i++) {
      if (checker.required(path + "[" + i + "]", refs.get(i))) {
        checkObjectRef(checker, path + "[" + i + "]", refs.get(i));
      }
    }
  }

  private static void checkObjectRef(FieldChecker checker, String path, ObjectRef ref) {
    if (ref == null) {
      return;
    }
    if (checker.required(path + ".name", ref.getName())) {
      checker.dnsSubdomain(path + ".name", ref.getName());
    }
    checker.dnsLabel(path + ".namespace", ref.getNamespace());
  }

  private static void checkSecretKeySelector(
      FieldChecker checker, String path, SecretKeySelector selector) {
    if (!checker.required(path, selector)) {
      return;
    }
    if (checker.required(path + ".name", selector.getName())) {
      checker.dnsSubdomain(path + ".name", selector.getName());
    }
    if (checker.required(path + ".key", selector.getKey())) {
      checker.secretKey(path + ".key", selector.getKey());
    }
  }
}
