package dev.portcullis.api.snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The difference between two snapshots: what a gateway that runs {@code base} needs to run {@code
 * version}. A route change in a fleet of 10,000 keys is a few hundred bytes instead of megabytes,
 * and each gateway swaps a handful of entries instead of reading the whole snapshot again.
 *
 * <p>Entries are identified by namespace and name (not generation): an entry listed here replaces
 * the base's entry of that name or is added; a name in {@link Removed} is dropped. The result keeps
 * the snapshot's order (namespace, then name), so applying a delta gives a snapshot equal to the
 * one it was computed to, version included; {@link #applyTo} refuses a base other than {@link
 * #base}.
 *
 * @param base the version this delta applies to
 * @param version the version the result has
 * @param routes routes added or changed, in snapshot order
 * @param keys keys added or changed, in snapshot order
 * @param policies policies added or changed, in snapshot order
 * @param templates templates added or changed, in snapshot order
 * @param removed names dropped, per kind
 */
public record SnapshotDelta(
    int schemaVersion,
    String base,
    String version,
    List<RouteConfig> routes,
    List<KeyConfig> keys,
    List<GuardrailPolicyConfig> policies,
    List<PromptTemplateConfig> templates,
    Removed removed) {

  public SnapshotDelta {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(version, "version");
    routes = List.copyOf(routes);
    keys = List.copyOf(keys);
    policies = List.copyOf(policies);
    templates = List.copyOf(templates);
    removed = removed == null ? Removed.NONE : removed;
  }

  /** Qualified names ({@code namespace/name}) of the entries dropped, per kind. */
  public record Removed(
      List<String> routes, List<String> keys, List<String> policies, List<String> templates) {
    public static final Removed NONE = new Removed(List.of(), List.of(), List.of(), List.of());

    public Removed {
      routes = routes == null ? List.of() : List.copyOf(routes);
      keys = keys == null ? List.of() : List.copyOf(keys);
      policies = policies == null ? List.of() : List.copyOf(policies);
      templates = templates == null ? List.of() : List.copyOf(templates);
    }

    int size() {
      return routes.size() + keys.size() + policies.size() + templates.size();
    }
  }

  private static final Comparator<ResourceId> ORDER =
      Comparator.comparing(ResourceId::namespace).thenComparing(ResourceId::name);

  /** What turns {@code from} into {@code to}. Entries are compared by value. */
  public static SnapshotDelta between(Snapshot from, Snapshot to) {
    List<String> removedRoutes = new ArrayList<>();
    List<String> removedKeys = new ArrayList<>();
    List<String> removedPolicies = new ArrayList<>();
    List<String> removedTemplates = new ArrayList<>();
    return new SnapshotDelta(
        to.schemaVersion(),
        from.version(),
        to.version(),
        changed(from.routes(), to.routes(), RouteConfig::id, removedRoutes),
        changed(from.keys(), to.keys(), KeyConfig::id, removedKeys),
        changed(from.policies(), to.policies(), GuardrailPolicyConfig::id, removedPolicies),
        changed(from.templates(), to.templates(), PromptTemplateConfig::id, removedTemplates),
        new Removed(removedRoutes, removedKeys, removedPolicies, removedTemplates));
  }

  /** How many entries this delta adds, replaces or drops. */
  public int size() {
    return routes.size() + keys.size() + policies.size() + templates.size() + removed.size();
  }

  /**
   * The snapshot this delta leads to from {@code base}.
   *
   * @throws IllegalArgumentException when {@code base} is not the version this delta applies to, or
   *     the delta drops an entry the base does not have (the gateway and operator disagree on what
   *     the gateway runs: it must fetch a whole snapshot)
   */
  public Snapshot applyTo(Snapshot base) {
    if (!this.base.equals(base.version())) {
      throw new IllegalArgumentException(
          "the delta applies to configuration " + this.base + ", not " + base.version());
    }
    return new Snapshot(
        schemaVersion,
        version,
        merged(base.routes(), routes, removed.routes(), RouteConfig::id, "route"),
        merged(base.keys(), keys, removed.keys(), KeyConfig::id, "key"),
        merged(base.policies(), policies, removed.policies(), GuardrailPolicyConfig::id, "policy"),
        merged(
            base.templates(),
            templates,
            removed.templates(),
            PromptTemplateConfig::id,
            "template"));
  }

  /** Entries of {@code to} that {@code from} lacks or has otherwise; names only in {@code from}. */
  private static <T> List<T> changed(
      List<T> from, List<T> to, Function<T, ResourceId> id, List<String> removed) {
    Map<String, T> before = new HashMap<>(from.size() * 2);
    for (T entry : from) {
      before.put(id.apply(entry).qualifiedName(), entry);
    }
    List<T> changed = new ArrayList<>();
    for (T entry : to) {
      T old = before.remove(id.apply(entry).qualifiedName());
      if (old == null || !old.equals(entry)) {
        changed.add(entry);
      }
    }
    before.values().stream().map(id).sorted(ORDER).forEach(i -> removed.add(i.qualifiedName()));
    return changed;
  }

  /**
   * {@code base} (sorted) with {@code upserts} (sorted) merged in by name and {@code removed}
   * dropped, in one pass.
   */
  private static <T> List<T> merged(
      List<T> base,
      List<T> upserts,
      List<String> removed,
      Function<T, ResourceId> id,
      String kind) {
    if (upserts.isEmpty() && removed.isEmpty()) {
      return base;
    }
    for (int i = 1; i < upserts.size(); i++) {
      if (ORDER.compare(id.apply(upserts.get(i - 1)), id.apply(upserts.get(i))) >= 0) {
        throw new IllegalArgumentException(
            "the delta's " + kind + " entries are not in namespace/name order");
      }
    }
    Set<String> drop = new HashSet<>(removed);
    List<T> result = new ArrayList<>(base.size() + upserts.size());
    int u = 0;
    for (T entry : base) {
      ResourceId entryId = id.apply(entry);
      while (u < upserts.size() && ORDER.compare(id.apply(upserts.get(u)), entryId) < 0) {
        result.add(upserts.get(u++));
      }
      if (u < upserts.size() && ORDER.compare(id.apply(upserts.get(u)), entryId) == 0) {
        result.add(upserts.get(u++));
      } else if (!drop.remove(entryId.qualifiedName())) {
        result.add(entry);
      }
    }
    while (u < upserts.size()) {
      result.add(upserts.get(u++));
    }
    if (!drop.isEmpty()) {
      throw new IllegalArgumentException(
          "the delta removes " + kind + " " + drop.iterator().next() + ", which the base lacks");
    }
    return result;
  }
}
