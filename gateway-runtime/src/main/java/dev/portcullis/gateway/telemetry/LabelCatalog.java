package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;
import io.micrometer.core.instrument.Meter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metric label values one snapshot allows, and the meters already looked up for them. Built
 * once per applied snapshot; a request's labels are found with a few hash lookups on strings and
 * objects the configuration already holds, so the lookup allocates nothing. Everything the
 * configuration does not name maps to {@link Labels#OTHER}, which bounds the number of series.
 */
final class LabelCatalog {
  /** Where the meters of one (key, route, target) live, found by identity. */
  static final class KeySeries {
    final String namespace;
    final String name;
    final Map<RouteSeries, Map<TargetSeries, SeriesMeters>> meters = new ConcurrentHashMap<>();

    KeySeries(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }
  }

  /** A configured route: its label and the model names its clients may send. */
  static final class RouteSeries {
    final String label;
    final Set<String> modelNames;

    RouteSeries(String label, Set<String> modelNames) {
      this.label = label;
      this.modelNames = modelNames;
    }
  }

  /** A configured target name (the label is the name, whichever route holds it). */
  static final class TargetSeries {
    final String label;

    TargetSeries(String label) {
      this.label = label;
    }
  }

  /** One guardrail verdict a configured policy can produce; its counter once first counted. */
  static final class VerdictSeries {
    final String action;
    final String policy;
    final String check;
    volatile Meter counter;

    VerdictSeries(String action, String policy, String check) {
      this.action = action;
      this.policy = policy;
      this.check = check;
    }
  }

  static final String[] VERDICT_ACTIONS = {"flagged", "redacted", "denied"};

  final String version;
  final KeySeries noKey = new KeySeries(Labels.NONE, Labels.NONE);
  final KeySeries otherKey = new KeySeries(Labels.OTHER, Labels.OTHER);
  final RouteSeries noRoute = new RouteSeries(Labels.NONE, Set.of());
  final RouteSeries otherRoute = new RouteSeries(Labels.OTHER, Set.of());
  final TargetSeries noTarget = new TargetSeries(Labels.NONE);
  final TargetSeries otherTarget = new TargetSeries(Labels.OTHER);
  final VerdictSeries otherVerdict = new VerdictSeries(Labels.OTHER, Labels.OTHER, Labels.OTHER);

  private final Map<String, Map<String, KeySeries>> keys;
  private final Map<String, Map<String, RouteSeries>> routes;
  private final Map<String, TargetSeries> targets;
  private final Set<String> responseModels;
  private final Set<String> requestModels;
  private final Map<String, String> providers;
  private final Map<String, VerdictSeries> verdicts;
  private final Set<String> policies = new HashSet<>();

  /** gen_ai meters by provider, request model, response model, then operation. */
  final Map<String, Map<String, Map<String, GenAiMeters[]>>> genAi = new ConcurrentHashMap<>();

  private LabelCatalog(
      String version,
      Map<String, Map<String, KeySeries>> keys,
      Map<String, Map<String, RouteSeries>> routes,
      Map<String, TargetSeries> targets,
      Set<String> requestModels,
      Set<String> responseModels,
      Map<String, String> providers,
      Map<String, VerdictSeries> verdicts) {
    this.version = version;
    this.keys = keys;
    this.routes = routes;
    this.targets = targets;
    this.requestModels = requestModels;
    this.responseModels = responseModels;
    this.providers = providers;
    this.verdicts = verdicts;
    verdicts.values().forEach(v -> policies.add(v.policy));
  }

  /** Before any snapshot: every value is {@code none} or {@code other}. */
  static LabelCatalog empty() {
    return new LabelCatalog(
        null, Map.of(), Map.of(), Map.of(), Set.of(), Set.of(), Map.of(), Map.of());
  }

  static LabelCatalog of(Snapshot snapshot) {
    Map<String, Map<String, KeySeries>> keys = new HashMap<>();
    for (KeyConfig key : snapshot.keys()) {
      keys.computeIfAbsent(key.id().namespace(), n -> new HashMap<>())
          .put(key.id().name(), new KeySeries(key.id().namespace(), key.id().name()));
    }
    Map<String, Map<String, RouteSeries>> routes = new HashMap<>();
    Map<String, TargetSeries> targets = new HashMap<>();
    Set<String> requestModels = new HashSet<>();
    Set<String> responseModels = new HashSet<>();
    Map<String, String> providers = new HashMap<>();
    for (RouteConfig route : snapshot.routes()) {
      Set<String> names = new HashSet<>(route.aliases());
      names.add(route.model());
      requestModels.addAll(names);
      routes
          .computeIfAbsent(route.id().namespace(), n -> new HashMap<>())
          .put(route.id().name(), new RouteSeries(route.id().qualifiedName(), Set.copyOf(names)));
      for (TargetConfig target : route.targets()) {
        targets.computeIfAbsent(target.name(), TargetSeries::new);
        if (target.model() != null) {
          responseModels.add(target.model());
        }
        if (target.provider() != null) {
          providers.put(target.provider(), GenAiProviderName.of(target.provider()));
        }
      }
    }
    Map<String, VerdictSeries> verdicts = new HashMap<>();
    for (GuardrailPolicyConfig policy : snapshot.policies()) {
      String qualified = policy.id().qualifiedName();
      for (GuardrailPolicyConfig.Check check : policy.checks()) {
        for (String action : VERDICT_ACTIONS) {
          verdicts.put(
              action + ":" + qualified + "/" + check.name(),
              new VerdictSeries(action, qualified, check.name()));
        }
      }
    }
    return new LabelCatalog(
        snapshot.version(),
        keys,
        routes,
        targets,
        Set.copyOf(requestModels),
        Set.copyOf(responseModels),
        Map.copyOf(providers),
        verdicts);
  }

  KeySeries key(KeyConfig key) {
    if (key == null) {
      return noKey;
    }
    Map<String, KeySeries> inNamespace = keys.get(key.id().namespace());
    KeySeries found = inNamespace == null ? null : inNamespace.get(key.id().name());
    return found == null ? otherKey : found;
  }

  RouteSeries route(RouteConfig route) {
    if (route == null) {
      return noRoute;
    }
    Map<String, RouteSeries> inNamespace = routes.get(route.id().namespace());
    RouteSeries found = inNamespace == null ? null : inNamespace.get(route.id().name());
    return found == null ? otherRoute : found;
  }

  TargetSeries target(TargetConfig target) {
    if (target == null) {
      return noTarget;
    }
    TargetSeries found = targets.get(target.name());
    return found == null ? otherTarget : found;
  }

  /** The model the client asked for, as a label: only the route's own names count. */
  static String requestModel(RouteSeries route, String model) {
    if (model == null) {
      return Labels.NONE;
    }
    return route.modelNames.contains(model) ? model : Labels.OTHER;
  }

  /** The model that answered, as a label: only models some target is configured with count. */
  String responseModel(String model) {
    if (model == null) {
      return Labels.NONE;
    }
    return responseModels.contains(model) ? model : Labels.OTHER;
  }

  String provider(TargetConfig target) {
    if (target == null || target.provider() == null) {
      return Labels.NONE;
    }
    String name = providers.get(target.provider());
    return name == null ? Labels.OTHER : name;
  }

  VerdictSeries verdict(String verdict) {
    VerdictSeries found = verdict == null ? null : verdicts.get(verdict);
    return found == null ? otherVerdict : found;
  }

  // ---- which label values this snapshot still names (for removing stale series) ----

  boolean namesRoute(String label) {
    if (Labels.NONE.equals(label) || Labels.OTHER.equals(label)) {
      return true;
    }
    int slash = label.indexOf('/');
    if (slash < 0) {
      return false;
    }
    Map<String, RouteSeries> inNamespace = routes.get(label.substring(0, slash));
    return inNamespace != null && inNamespace.containsKey(label.substring(slash + 1));
  }

  boolean namesKey(String namespace, String name) {
    if (Labels.NONE.equals(name) || Labels.OTHER.equals(name)) {
      return true;
    }
    Map<String, KeySeries> inNamespace = keys.get(namespace);
    return inNamespace != null && inNamespace.containsKey(name);
  }

  boolean namesTarget(String label) {
    return Labels.NONE.equals(label) || Labels.OTHER.equals(label) || targets.containsKey(label);
  }

  boolean namesRequestModel(String label) {
    return Labels.NONE.equals(label) || Labels.OTHER.equals(label) || requestModels.contains(label);
  }

  boolean namesResponseModel(String label) {
    return Labels.NONE.equals(label)
        || Labels.OTHER.equals(label)
        || responseModels.contains(label);
  }

  boolean namesProvider(String label) {
    return Labels.NONE.equals(label)
        || Labels.OTHER.equals(label)
        || providers.containsValue(label);
  }

  boolean namesPolicy(String label) {
    return Labels.OTHER.equals(label) || policies.contains(label);
  }
}
