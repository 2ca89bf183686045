package dev.portcullis.api.resolve;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.route.Target;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.validation.ResourceValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Turns a {@link ResourceSet} into a {@link Snapshot} and the problems of every resource left out.
 * Pure: no I/O, no clock, no Kubernetes calls; the same set (in any order) gives the same snapshot
 * and version.
 *
 * <p>In order:
 *
 * <ol>
 *   <li>Each resource is checked by {@link ResourceValidator}; one with problems is left out. Two
 *       resources of the same kind, namespace and name are both left out.
 *   <li>Each resource is resolved on its own: defaults applied, durations and money parsed, Secrets
 *       read (own namespace, {@code data} only), references checked to exist and to admit the
 *       referring namespace.
 *   <li>Across routes: nested-route cycles (a problem on every route of the cycle, naming it) and
 *       model names claimed twice in one namespace (the route whose name sorts first keeps it).
 *   <li>Resources that need a left-out resource (a nested route, a policy, a template, a version's
 *       route) are left out too, until nothing changes. VirtualKeys only name routes they may use,
 *       so a left-out route does not take a key with it.
 * </ol>
 *
 * <p>See {@code README.md} in this package for the defaults.
 *
 * <p>The snapshot carries provider credentials as {@link dev.portcullis.api.snapshot.SecretValue}s
 * (redacted in {@code toString}, plain in {@link SnapshotCodec#toJson}, which is only sent over the
 * authenticated config channel) and virtual keys only as SHA-256 hashes. No problem message
 * contains a Secret value.
 */
public final class SnapshotResolver {
  /** Data key of a VirtualKey's Secret holding the rotated-out key during its grace period. */
  public static final String PREVIOUS_KEY_DATA_KEY = "previousApiKey";

  /** Annotation on a VirtualKey's Secret: until when (RFC 3339) the previous key still works. */
  public static final String PREVIOUS_KEY_VALID_UNTIL_ANNOTATION =
      "portcullis.dev/previous-key-valid-until";

  /** Namespace of a resource that names none, as for {@code kubectl apply}. */
  static final String DEFAULT_NAMESPACE = "default";

  static final String ROUTE = "LLMRoute";
  static final String KEY = "VirtualKey";
  static final String POLICY = "GuardrailPolicy";
  static final String TEMPLATE = "PromptTemplate";

  private static final Comparator<ResourceId> BY_NAMESPACE_AND_NAME =
      Comparator.comparing(ResourceId::namespace).thenComparing(ResourceId::name);

  private SnapshotResolver() {}

  public static Resolution resolve(ResourceSet set) {
    return new Run(set).resolve();
  }

  static String namespaceOf(HasMetadata resource) {
    String namespace =
        resource.getMetadata() == null ? null : resource.getMetadata().getNamespace();
    return namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
  }

  static ResourceRef routeRef(String qualifiedName) {
    int slash = qualifiedName.indexOf('/');
    return new ResourceRef(
        ROUTE, qualifiedName.substring(0, slash), qualifiedName.substring(slash + 1));
  }

  /** The state of one resolution. */
  private static final class Run {
    private final ResourceSet set;
    private final Map<ResourceRef, List<Problem>> leftOut = new HashMap<>();
    private final Map<ResourceRef, Candidate<?>> candidates = new LinkedHashMap<>();

    Run(ResourceSet set) {
      this.set = set;
    }

    Resolution resolve() {
      SecretIndex secrets = new SecretIndex(set.secrets());
      Map<String, LLMRoute> routesByName = byQualifiedName(set.routes());
      Set<String> policyNames = byQualifiedName(set.policies()).keySet();
      Set<String> templateNames = byQualifiedName(set.templates()).keySet();

      RouteResolver routeResolver =
          new RouteResolver(secrets, routesByName, policyNames, templateNames);
      KeyResolver keyResolver = new KeyResolver(secrets, routesByName);
      TemplateResolver templateResolver = new TemplateResolver(routesByName);

      List<Candidate<RouteConfig>> routes = each(ROUTE, set.routes(), routeResolver::resolve);
      List<Candidate<KeyConfig>> keys = each(KEY, set.keys(), keyResolver::resolve);
      List<Candidate<GuardrailPolicyConfig>> policies =
          each(POLICY, set.policies(), PolicyResolver::resolve);
      List<Candidate<PromptTemplateConfig>> templates =
          each(TEMPLATE, set.templates(), templateResolver::resolve);

      rejectRouteCycles(routesByName);
      rejectModelClashes(routesByName);
      leaveOutDependents();

      Snapshot snapshot =
          SnapshotCodec.withComputedVersion(
              new Snapshot(
                  Snapshot.SCHEMA_VERSION,
                  null,
                  configs(routes, RouteConfig::id),
                  configs(keys, KeyConfig::id),
                  configs(policies, GuardrailPolicyConfig::id),
                  configs(templates, PromptTemplateConfig::id)));
      for (Candidate<?> c : candidates.values()) {
        if (!c.isClean()) {
          leftOut.computeIfAbsent(c.ref, k -> new ArrayList<>()).addAll(c.problems);
        }
      }
      return new Resolution(snapshot, leftOut);
    }

    /**
     * Validates and resolves every resource of one kind. Duplicates and resources with validation
     * problems go straight to {@code leftOut}; the rest become candidates.
     */
    private <R extends HasMetadata, C> List<Candidate<C>> each(
        String kind, List<R> resources, BiConsumer<R, Candidate<C>> resolver) {
      Map<ResourceRef, List<R>> byRef = new LinkedHashMap<>();
      for (R resource : resources) {
        if (resource.getMetadata() == null || resource.getMetadata().getName() == null) {
          continue; // nothing to name it by; the API server and manifest reader never pass one
        }
        ResourceRef ref =
            new ResourceRef(kind, namespaceOf(resource), resource.getMetadata().getName());
        byRef.computeIfAbsent(ref, k -> new ArrayList<>()).add(resource);
      }
      List<Candidate<C>> resolved = new ArrayList<>();
      byRef.forEach(
          (ref, same) -> {
            if (same.size() > 1) {
              leftOut.put(
                  ref,
                  List.of(
                      new Problem(
                          "metadata.name",
                          ref + " is defined " + same.size() + " times; keep one definition")));
              return;
            }
            R resource = same.get(0);
            List<Problem> invalid = ResourceValidator.validate(resource);
            if (!invalid.isEmpty()) {
              leftOut.put(ref, invalid);
              return;
            }
            Long generation = resource.getMetadata().getGeneration();
            Candidate<C> c =
                new Candidate<>(
                    ref, generation == null ? 0 : generation, resource.getMetadata().getUid());
            try {
              resolver.accept(resource, c);
            } catch (RuntimeException e) {
              // One resource must never stop the others. The exception's message is not used: it
              // might quote a value.
              c.problem(
                  "",
                  "could not be resolved ("
                      + e.getClass().getSimpleName()
                      + "); this is a bug in Portcullis, please report it with the resource");
            }
            candidates.put(ref, c);
            resolved.add(c);
          });
      return resolved;
    }

    /** Routes reachable from themselves through nested route targets. */
    private void rejectRouteCycles(Map<String, LLMRoute> routesByName) {
      Map<String, List<String>> next = new HashMap<>();
      routesByName.forEach((name, route) -> next.put(name, nestedRoutes(route)));
      for (String start : new java.util.TreeSet<>(routesByName.keySet())) {
        List<String> cycle = shortestCycle(start, next);
        Candidate<?> c = candidates.get(routeRef(start));
        if (cycle.isEmpty() || c == null) {
          continue;
        }
        int targetIndex = next.get(start).indexOf(cycle.get(1));
        c.problem(
            "spec.targets[" + targetIndex + "].route",
            "nested route targets form a cycle: "
                + String.join(" -> ", cycle)
                + "; a route cannot send requests to itself, directly or through other routes");
      }
    }

    /** The qualified names of a route's targets (null for provider targets), by target index. */
    private static List<String> nestedRoutes(LLMRoute route) {
      List<String> names = new ArrayList<>();
      if (route.getSpec() != null && route.getSpec().getTargets() != null) {
        for (Target t : route.getSpec().getTargets()) {
          names.add(
              t.getRoute() == null || t.getRoute().getName() == null
                  ? null
                  : t.getRoute().qualifiedName(namespaceOf(route)));
        }
      }
      return names;
    }

    /** {@code start -> ... -> start} by breadth-first search, or empty when there is none. */
    private static List<String> shortestCycle(String start, Map<String, List<String>> next) {
      Map<String, String> cameFrom = new HashMap<>();
      Deque<String> queue = new ArrayDeque<>();
      queue.add(start);
      while (!queue.isEmpty()) {
        String at = queue.poll();
        for (String to : next.getOrDefault(at, List.of())) {
          if (to == null || !next.containsKey(to)) {
            continue;
          }
          if (to.equals(start)) {
            List<String> path = new ArrayList<>();
            path.add(start);
            for (String step = at; !step.equals(start); step = cameFrom.get(step)) {
              path.add(1, step);
            }
            path.add(start);
            return path;
          }
          if (!cameFrom.containsKey(to)) {
            cameFrom.put(to, at);
            queue.add(to);
          }
        }
      }
      return List.of();
    }

    /**
     * A model name (model or alias) belongs to one route per namespace: the route whose name sorts
     * first keeps it, every other claimant is left out. Lexical order rather than age because
     * standalone manifests have no creation time, and it does not change when a route is edited.
     */
    private void rejectModelClashes(Map<String, LLMRoute> routesByName) {
      Map<String, String> owner = new HashMap<>(); // namespace + " " + model name -> route
      for (String name : new java.util.TreeSet<>(routesByName.keySet())) {
        LLMRoute route = routesByName.get(name);
        String namespace = namespaceOf(route);
        List<String> aliases =
            route.getSpec() == null || route.getSpec().getAliases() == null
                ? List.of()
                : route.getSpec().getAliases();
        for (String model : RouteResolver.modelNames(route)) {
          String first = owner.putIfAbsent(namespace + " " + model, name);
          Candidate<?> c = candidates.get(routeRef(name));
          if (first == null || c == null) {
            continue;
          }
          String field =
              model.equals(route.getSpec().getModel())
                  ? "spec.model"
                  : "spec.aliases[" + aliases.indexOf(model) + "]";
          c.problem(
              field,
              "model name "
                  + model
                  + " is already used by LLMRoute "
                  + first
                  + "; in one namespace each model name and alias selects one route (the route"
                  + " whose name sorts first keeps it)");
        }
      }
    }

    /** Leaves out every candidate that needs a left-out resource, until nothing changes. */
    private void leaveOutDependents() {
      boolean changed = true;
      while (changed) {
        changed = false;
        for (Candidate<?> c : candidates.values()) {
          if (!c.isClean()) {
            continue;
          }
          for (Candidate.Dependency d : c.dependencies) {
            Candidate<?> needed = candidates.get(d.target());
            if (needed == null || !needed.isClean()) {
              c.problem(
                  d.field(),
                  d.target()
                      + " is left out of the snapshot because of its own problems (see its"
                      + " status), and this "
                      + c.ref.kind()
                      + " cannot be served without it");
              changed = true;
            }
          }
        }
      }
    }

    private static <C> List<C> configs(
        Collection<Candidate<C>> candidates, Function<C, ResourceId> id) {
      Map<ResourceId, C> sorted = new TreeMap<>(BY_NAMESPACE_AND_NAME);
      for (Candidate<C> c : candidates) {
        if (c.isClean() && c.config != null) {
          sorted.put(id.apply(c.config), c.config);
        }
      }
      return List.copyOf(sorted.values());
    }

    /** Resources by qualified name; of duplicates the first (only used to look references up). */
    private static <R extends HasMetadata> Map<String, R> byQualifiedName(List<R> resources) {
      Map<String, R> byName = new HashMap<>();
      for (R resource : resources) {
        if (resource.getMetadata() != null && resource.getMetadata().getName() != null) {
          byName.putIfAbsent(
              namespaceOf(resource) + "/" + resource.getMetadata().getName(), resource);
        }
      }
      return byName;
    }
  }
}
