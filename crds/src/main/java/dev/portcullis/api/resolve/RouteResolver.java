package dev.portcullis.api.resolve;

import dev.portcullis.api.ObjectRef;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.route.Adaptive;
import dev.portcullis.api.route.Backoff;
import dev.portcullis.api.route.Cache;
import dev.portcullis.api.route.CacheScope;
import dev.portcullis.api.route.ConditionalRule;
import dev.portcullis.api.route.Cooldown;
import dev.portcullis.api.route.FallbackOn;
import dev.portcullis.api.route.GuardrailRefs;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.route.LLMRouteSpec;
import dev.portcullis.api.route.Retry;
import dev.portcullis.api.route.Strategy;
import dev.portcullis.api.route.StrategyMode;
import dev.portcullis.api.route.Target;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.AdaptiveWeights;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig;
import dev.portcullis.api.snapshot.RouteConfig.ConditionRule;
import dev.portcullis.api.snapshot.RouteConfig.CooldownConfig;
import dev.portcullis.api.snapshot.RouteConfig.RetryConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one {@link LLMRoute} into a {@link RouteConfig}: defaults from the CRD field descriptions,
 * durations and money parsed, credentials read from Secrets in the route's namespace, references
 * checked and qualified. Cycles and model-name clashes need all routes and are checked by {@link
 * SnapshotResolver}.
 */
final class RouteResolver {
  static final Set<Integer> DEFAULT_FALLBACK_STATUS_CODES = Set.of(429, 500, 502, 503, 504);
  static final Set<Integer> DEFAULT_RETRY_STATUS_CODES = Set.of(429, 502, 503);
  static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(200);
  static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(5);
  static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);
  static final Duration DEFAULT_COOLDOWN_WINDOW = Duration.ofSeconds(60);
  static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);

  /**
   * Calibrated for the gateway's built-in embedding model on its labelled paraphrase set (the
   * gateway's {@code cache/README.md}); keep equal to {@code SemanticCache.DEFAULT_THRESHOLD}.
   */
  static final double DEFAULT_SEMANTIC_THRESHOLD = 0.88;

  static final AdaptiveWeights DEFAULT_ADAPTIVE = new AdaptiveWeights(0.5, 0.3, 0.2, 0.01);

  private final SecretIndex secrets;
  private final Map<String, LLMRoute> routes;
  private final Set<String> policies;
  private final Set<String> templates;

  /**
   * @param routes every route of the set by qualified name (for nested targets)
   * @param policies qualified names of every GuardrailPolicy of the set
   * @param templates qualified names of every PromptTemplate of the set
   */
  RouteResolver(
      SecretIndex secrets,
      Map<String, LLMRoute> routes,
      Set<String> policies,
      Set<String> templates) {
    this.secrets = secrets;
    this.routes = routes;
    this.policies = policies;
    this.templates = templates;
  }

  /** Whether keys and routes of {@code namespace} may use {@code route}. */
  static boolean admits(LLMRoute route, String namespace) {
    if (SnapshotResolver.namespaceOf(route).equals(namespace)) {
      return true;
    }
    LLMRouteSpec spec = route.getSpec();
    List<String> allowed =
        spec == null || spec.getAccess() == null || spec.getAccess().getNamespaces() == null
            ? List.of()
            : spec.getAccess().getNamespaces();
    return allowed.contains("*") || allowed.contains(namespace);
  }

  /** Every model name the route claims: its model and aliases, without repeats. */
  static List<String> modelNames(LLMRoute route) {
    Set<String> names = new LinkedHashSet<>();
    if (route.getSpec() != null) {
      if (route.getSpec().getModel() != null) {
        names.add(route.getSpec().getModel());
      }
      if (route.getSpec().getAliases() != null) {
        names.addAll(route.getSpec().getAliases());
      }
    }
    return List.copyOf(names);
  }

  void resolve(LLMRoute route, Candidate<RouteConfig> c) {
    LLMRouteSpec spec = route.getSpec();
    if (spec == null) {
      c.problem("spec", "the route has no spec");
      return;
    }
    if (spec.getModel() == null || spec.getModel().isBlank()) {
      c.problem("spec.model", "set the model name clients send to use this route");
    }
    List<Target> targetSpecs = spec.getTargets() == null ? List.of() : spec.getTargets();
    if (targetSpecs.isEmpty()) {
      c.problem("spec.targets", "a route needs at least one target");
    }
    List<TargetConfig> targets = new ArrayList<>();
    for (int i = 0; i < targetSpecs.size(); i++) {
      targets.add(target(targetSpecs.get(i), "spec.targets[" + i + "]", c));
    }
    StrategyConfig strategy = strategy(spec.getStrategy(), targetSpecs, c);
    RetryConfig retry = retry(spec.getRetry(), c);
    CooldownConfig cooldown = cooldown(spec.getCooldown(), c);
    Duration timeout = c.duration(spec.getTimeout(), "spec.timeout");
    CacheConfig cache = cache(spec.getCache(), c);
    GuardrailRefs guardrails = spec.getGuardrails();
    List<String> input =
        policyRefs(guardrails == null ? null : guardrails.getInput(), "spec.guardrails.input", c);
    List<String> output =
        policyRefs(guardrails == null ? null : guardrails.getOutput(), "spec.guardrails.output", c);
    String template = templateRef(spec.getPromptTemplate(), c);
    Set<String> access =
        spec.getAccess() == null || spec.getAccess().getNamespaces() == null
            ? Set.of()
            : Set.copyOf(spec.getAccess().getNamespaces());
    boolean logBodies =
        spec.getLogging() != null && Boolean.TRUE.equals(spec.getLogging().getBodies());
    if (c.isClean()) {
      c.config =
          new RouteConfig(
              c.id,
              spec.getModel(),
              spec.getAliases() == null ? List.of() : spec.getAliases(),
              strategy,
              targets,
              retry,
              cooldown,
              timeout,
              cache,
              input,
              output,
              template,
              access,
              logBodies);
    }
  }

  private TargetConfig target(Target t, String field, Candidate<RouteConfig> c) {
    String nestedRoute = null;
    if (t.getRoute() != null) {
      nestedRoute = nestedRoute(t.getRoute(), field + ".route", c);
    } else if (t.getProvider() == null) {
      c.problem(field, "set either provider or route");
    }
    SecretValue apiKey =
        t.getCredentials() == null
            ? null
            : secrets.credential(
                c.namespace(),
                t.getCredentials().getSecretRef(),
                field + ".credentials.secretRef",
                "an LLMRoute",
                c);
    TargetConfig.Timeouts timeouts = TargetConfig.Timeouts.NONE;
    if (t.getTimeouts() != null) {
      timeouts =
          new TargetConfig.Timeouts(
              c.duration(t.getTimeouts().getConnect(), field + ".timeouts.connect"),
              c.duration(t.getTimeouts().getFirstByte(), field + ".timeouts.firstByte"),
              c.duration(t.getTimeouts().getTotal(), field + ".timeouts.total"));
    }
    TargetConfig.Pricing pricing = null;
    if (t.getPricing() != null) {
      pricing =
          new TargetConfig.Pricing(
              c.money(t.getPricing().getInputPerMTok(), field + ".pricing.inputPerMTok"),
              c.money(t.getPricing().getOutputPerMTok(), field + ".pricing.outputPerMTok"),
              c.money(
                  t.getPricing().getCachedInputPerMTok(), field + ".pricing.cachedInputPerMTok"));
    }
    return new TargetConfig(
        t.getName(),
        t.getProvider() == null ? null : t.getProvider().wireName(),
        t.getModel(),
        t.getBaseUrl(),
        apiKey,
        t.getWeight() == null ? 1 : t.getWeight(),
        timeouts,
        SnapshotCodec.normalizedTree(t.getParams()),
        t.getAzure() == null
            ? null
            : new TargetConfig.Azure(t.getAzure().getDeployment(), t.getAzure().getApiVersion()),
        pricing,
        t.getLimits() == null
            ? null
            : new TargetConfig.Limits(
                t.getLimits().getRequestsPerMinute(), t.getLimits().getTokensPerMinute()),
        nestedRoute);
  }

  private String nestedRoute(ObjectRef ref, String field, Candidate<RouteConfig> c) {
    if (ref.getName() == null) {
      c.problem(field, "name the LLMRoute this target sends to");
      return null;
    }
    String qualified = ref.qualifiedName(c.namespace());
    LLMRoute nested = routes.get(qualified);
    if (nested == null) {
      c.problem(field, "LLMRoute " + qualified + " does not exist");
    } else if (!admits(nested, c.namespace())) {
      c.problem(
          field,
          "LLMRoute "
              + qualified
              + " does not admit namespace "
              + c.namespace()
              + "; add "
              + c.namespace()
              + " to its spec.access.namespaces");
    } else {
      c.dependsOn(field, SnapshotResolver.routeRef(qualified));
    }
    return qualified;
  }

  private StrategyConfig strategy(Strategy s, List<Target> targets, Candidate<RouteConfig> c) {
    // Absent strategy: Single, as the CRD says.
    StrategyMode mode = s == null || s.getMode() == null ? StrategyMode.SINGLE : s.getMode();
    RouteConfig.StrategyConfig.Mode snapshotMode =
        RouteConfig.StrategyConfig.Mode.valueOf(mode.name());
    FallbackOn f = s == null ? null : s.getFallbackOn();
    RouteConfig.FallbackOn fallbackOn =
        new RouteConfig.FallbackOn(
            f == null || f.getStatusCodes() == null
                ? DEFAULT_FALLBACK_STATUS_CODES
                : Set.copyOf(f.getStatusCodes()),
            f == null || f.getTimeouts() == null || f.getTimeouts(),
            f == null || f.getConnectionErrors() == null || f.getConnectionErrors());
    List<ConditionRule> conditions = new ArrayList<>();
    List<ConditionalRule> rules =
        s == null || s.getConditions() == null ? List.of() : s.getConditions();
    for (ConditionalRule rule : rules) {
      conditions.add(
          new ConditionRule(SnapshotCodec.normalizedTree(rule.getWhen()), rule.getTarget()));
    }
    String defaultTarget = s == null ? null : s.getDefaultTarget();
    if (defaultTarget == null && mode == StrategyMode.CONDITIONAL && !targets.isEmpty()) {
      // Absent default in Conditional mode: the first target, as the CRD says.
      defaultTarget = targets.get(0).getName();
    }
    Duration hedgeAfter =
        s == null || s.getHedge() == null
            ? null
            : c.duration(s.getHedge().getAfter(), "spec.strategy.hedge.after");
    AdaptiveWeights adaptive =
        mode == StrategyMode.ADAPTIVE ? adaptive(s == null ? null : s.getAdaptive()) : null;
    return new StrategyConfig(
        snapshotMode, fallbackOn, conditions, defaultTarget, hedgeAfter, adaptive);
  }

  private static AdaptiveWeights adaptive(Adaptive a) {
    if (a == null) {
      return DEFAULT_ADAPTIVE;
    }
    return new AdaptiveWeights(
        a.getLatencyWeight() == null ? DEFAULT_ADAPTIVE.latencyWeight() : a.getLatencyWeight(),
        a.getErrorWeight() == null ? DEFAULT_ADAPTIVE.errorWeight() : a.getErrorWeight(),
        a.getCostWeight() == null ? DEFAULT_ADAPTIVE.costWeight() : a.getCostWeight(),
        a.getExplore() == null ? DEFAULT_ADAPTIVE.explore() : a.getExplore());
  }

  private static RetryConfig retry(Retry r, Candidate<RouteConfig> c) {
    if (r == null) {
      return new RetryConfig(
          0,
          DEFAULT_BACKOFF_BASE,
          DEFAULT_BACKOFF_MAX,
          DEFAULT_RETRY_STATUS_CODES,
          true,
          DEFAULT_MAX_RETRY_AFTER);
    }
    Backoff b = r.getBackoff();
    return new RetryConfig(
        r.getAttempts() == null ? 0 : r.getAttempts(),
        c.duration(b == null ? null : b.getBase(), "spec.retry.backoff.base", DEFAULT_BACKOFF_BASE),
        c.duration(b == null ? null : b.getMax(), "spec.retry.backoff.max", DEFAULT_BACKOFF_MAX),
        r.getOnStatusCodes() == null
            ? DEFAULT_RETRY_STATUS_CODES
            : Set.copyOf(r.getOnStatusCodes()),
        r.getHonorRetryAfter() == null || r.getHonorRetryAfter(),
        c.duration(r.getMaxRetryAfter(), "spec.retry.maxRetryAfter", DEFAULT_MAX_RETRY_AFTER));
  }

  private static CooldownConfig cooldown(Cooldown cd, Candidate<RouteConfig> c) {
    if (cd == null) {
      return null;
    }
    if (cd.getFailures() == null || cd.getDuration() == null) {
      c.problem("spec.cooldown", "a cooldown needs failures and duration");
      return null;
    }
    return new CooldownConfig(
        cd.getFailures(),
        c.duration(cd.getWindow(), "spec.cooldown.window", DEFAULT_COOLDOWN_WINDOW),
        c.duration(cd.getDuration(), "spec.cooldown.duration"));
  }

  private static CacheConfig cache(Cache cache, Candidate<RouteConfig> c) {
    if (cache == null || cache.getMode() == null) {
      return new CacheConfig(CacheConfig.CacheMode.DISABLED, null, 0);
    }
    CacheConfig.CacheScope scope =
        cache.getScope() == CacheScope.KEY
            ? CacheConfig.CacheScope.KEY
            : CacheConfig.CacheScope.NAMESPACE;
    return switch (cache.getMode()) {
      case DISABLED -> new CacheConfig(CacheConfig.CacheMode.DISABLED, null, 0);
      case EXACT ->
          new CacheConfig(
              CacheConfig.CacheMode.EXACT,
              c.duration(cache.getTtl(), "spec.cache.ttl", DEFAULT_CACHE_TTL),
              0,
              scope);
      case SEMANTIC ->
          new CacheConfig(
              CacheConfig.CacheMode.SEMANTIC,
              c.duration(cache.getTtl(), "spec.cache.ttl", DEFAULT_CACHE_TTL),
              cache.getSemantic() == null || cache.getSemantic().getThreshold() == null
                  ? DEFAULT_SEMANTIC_THRESHOLD
                  : cache.getSemantic().getThreshold(),
              scope);
    };
  }

  private List<String> policyRefs(List<ObjectRef> refs, String field, Candidate<RouteConfig> c) {
    List<String> qualified = new ArrayList<>();
    if (refs == null) {
      return qualified;
    }
    for (int i = 0; i < refs.size(); i++) {
      String name =
          sameNamespaceRef(refs.get(i), field + "[" + i + "]", "GuardrailPolicy", policies, c);
      if (name != null) {
        qualified.add(name);
      }
    }
    return qualified;
  }

  private String templateRef(ObjectRef ref, Candidate<RouteConfig> c) {
    return ref == null
        ? null
        : sameNamespaceRef(ref, "spec.promptTemplate", "PromptTemplate", templates, c);
  }

  /**
   * A reference to a policy or template, which a route may take only from its own namespace: a
   * route admitted to other namespaces would otherwise let them depend on a third team's policy.
   */
  private static String sameNamespaceRef(
      ObjectRef ref, String field, String kind, Set<String> existing, Candidate<RouteConfig> c) {
    if (ref.getName() == null) {
      c.problem(field, "name the " + kind);
      return null;
    }
    if (ref.getNamespace() != null && !ref.getNamespace().equals(c.namespace())) {
      c.problem(
          field + ".namespace",
          "an LLMRoute may use "
              + kind
              + "s only from its own namespace ("
              + c.namespace()
              + "), not "
              + ref.getNamespace()
              + "; create the "
              + kind
              + " in "
              + c.namespace()
              + " or leave out the namespace");
      return null;
    }
    String qualified = c.namespace() + "/" + ref.getName();
    if (!existing.contains(qualified)) {
      c.problem(field, kind + " " + qualified + " does not exist");
      return null;
    }
    c.dependsOn(field, new ResourceRef(kind, c.namespace(), ref.getName()));
    return qualified;
  }
}
