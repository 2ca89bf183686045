package dev.portcullis.gateway.state;

import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.api.fleet.NotEnforced;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.KeyHashing;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.capability.Capabilities;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.provider.ProviderRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot compiled for the hot path: keys by hash, routes by model name. Immutable; the gateway
 * swaps the whole state when a new snapshot is applied.
 *
 * <p>A state is compiled whole ({@link #compile}) or from the state before and a {@link
 * SnapshotDelta} ({@link #patch}): then only the entries the delta names are indexed again, so a
 * route change in a fleet of 10,000 keys costs each gateway a few map copies, not re-hashing every
 * key. Both give equal indexes for equal snapshots.
 *
 * <p><b>Failing closed.</b> A route that needs a capability this gateway lacks ({@link
 * GatewayCapabilities#notEnforced}: a guardrail check type, prompt templates, a cache mode, or a
 * target route that needs one) is never served without it. It stays findable by its model names, so
 * a caller gets the same route as anywhere else, and the request path's route stage asks {@link
 * #requireEnforced}, which answers {@code 503 capability_missing} naming what is missing — in the
 * caller's format, before any limit is reserved or upstream called. A snapshot with nothing to fail
 * closed costs one pass over its routes, policies and templates per apply and one empty-map check
 * per request.
 */
public final class GatewayState {
  /** Deterministic choice among other namespaces' routes: by namespace, then name. */
  private static final Comparator<RouteConfig> ORDER =
      Comparator.comparing((RouteConfig r) -> r.id().namespace()).thenComparing(r -> r.id().name());

  private final Snapshot snapshot;
  private final Map<String, KeyEntry> keysByHash;
  private final Map<String, KeyConfig> keysByName;
  private final Map<String, RouteConfig> routesByName;
  private final Map<String, List<RouteConfig>> routesByModel;
  private final GatewayCapabilities capabilities;
  private final FailClosed failClosed;

  private GatewayState(
      Snapshot snapshot,
      Map<String, KeyEntry> keysByHash,
      Map<String, KeyConfig> keysByName,
      Map<String, RouteConfig> routesByName,
      Map<String, List<RouteConfig>> routesByModel,
      GatewayCapabilities capabilities) {
    // Unmodifiable views of maps nobody else holds; published through the gateway's atomic swap.
    this.snapshot = snapshot;
    this.keysByHash = Collections.unmodifiableMap(keysByHash);
    this.keysByName = Collections.unmodifiableMap(keysByName);
    this.routesByName = Collections.unmodifiableMap(routesByName);
    this.routesByModel = Collections.unmodifiableMap(routesByModel);
    this.capabilities = capabilities;
    this.failClosed = FailClosed.of(snapshot, capabilities);
  }

  /**
   * Compiles a snapshot for what this build enforces ({@link Capabilities#ofThisBuild()}), or
   * explains why this gateway cannot apply it (e.g. a provider this build does not know).
   */
  public static GatewayState compile(Snapshot snapshot, ProviderRegistry providers)
      throws SnapshotRejectedException {
    return compile(snapshot, providers, Capabilities.ofThisBuild());
  }

  /**
   * Compiles a snapshot for a gateway enforcing {@code capabilities}: entries that need more are
   * applied but fail closed. States patched from this one keep {@code capabilities}.
   */
  public static GatewayState compile(
      Snapshot snapshot, ProviderRegistry providers, GatewayCapabilities capabilities)
      throws SnapshotRejectedException {
    Map<String, RouteConfig> byName = new HashMap<>();
    for (RouteConfig route : snapshot.routes()) {
      byName.put(route.id().qualifiedName(), route);
    }
    for (RouteConfig route : snapshot.routes()) {
      check(route, byName, providers);
    }
    Map<String, KeyEntry> keys = new HashMap<>();
    Map<String, KeyConfig> keysByName = new HashMap<>();
    for (KeyConfig key : snapshot.keys()) {
      index(key, keys);
      keysByName.put(key.id().qualifiedName(), key);
    }
    Map<String, List<RouteConfig>> byModel = new HashMap<>();
    for (RouteConfig route : snapshot.routes()) {
      for (String model : modelNames(route)) {
        byModel.computeIfAbsent(model, m -> new ArrayList<>()).add(route);
      }
    }
    byModel.replaceAll((m, list) -> list.stream().sorted(ORDER).toList());
    return new GatewayState(snapshot, keys, keysByName, byName, byModel, capabilities);
  }

  /**
   * This state with {@code delta} applied, which led to {@code next}; or why this gateway cannot
   * apply it. Only what the delta names is indexed again.
   */
  public GatewayState patch(SnapshotDelta delta, Snapshot next, ProviderRegistry providers)
      throws SnapshotRejectedException {
    Map<String, RouteConfig> byName = new HashMap<>(routesByName);
    Set<String> models = new HashSet<>();
    for (String name : delta.removed().routes()) {
      RouteConfig old = byName.remove(name);
      if (old != null) {
        models.addAll(modelNames(old));
      }
    }
    for (RouteConfig route : delta.routes()) {
      RouteConfig old = byName.put(route.id().qualifiedName(), route);
      if (old != null) {
        models.addAll(modelNames(old));
      }
      models.addAll(modelNames(route));
    }
    for (RouteConfig route : delta.routes()) {
      check(route, byName, providers);
    }
    if (!delta.removed().routes().isEmpty()) {
      // A route that stays may point at one that goes.
      for (RouteConfig route : next.routes()) {
        check(route, byName, providers);
      }
    }
    Map<String, List<RouteConfig>> byModel = new HashMap<>(routesByModel);
    for (String model : models) {
      List<RouteConfig> list = new ArrayList<>();
      for (RouteConfig route : routesByModel.getOrDefault(model, List.of())) {
        RouteConfig now = byName.get(route.id().qualifiedName());
        if (now != null && modelNames(now).contains(model) && !list.contains(now)) {
          list.add(now);
        }
      }
      for (RouteConfig route : delta.routes()) {
        if (modelNames(route).contains(model) && !list.contains(route)) {
          list.add(route);
        }
      }
      if (list.isEmpty()) {
        byModel.remove(model);
      } else {
        byModel.put(model, list.stream().sorted(ORDER).toList());
      }
    }

    Map<String, KeyEntry> keys = new HashMap<>(keysByHash);
    Map<String, KeyConfig> byKeyName = new HashMap<>(keysByName);
    for (String name : delta.removed().keys()) {
      unindex(byKeyName.remove(name), keys);
    }
    for (KeyConfig key : delta.keys()) {
      unindex(byKeyName.put(key.id().qualifiedName(), key), keys);
    }
    for (KeyConfig key : delta.keys()) {
      index(key, keys);
    }
    return new GatewayState(next, keys, byKeyName, byName, byModel, capabilities);
  }

  private static void check(
      RouteConfig route, Map<String, RouteConfig> routes, ProviderRegistry providers)
      throws SnapshotRejectedException {
    for (TargetConfig target : route.targets()) {
      if (target.isRoute()) {
        if (!routes.containsKey(target.route())) {
          throw new SnapshotRejectedException(
              "route "
                  + route.id().qualifiedName()
                  + " target "
                  + target.name()
                  + " refers to route "
                  + target.route()
                  + " which is not in the snapshot");
        }
      } else if (providers.find(target.provider()).isEmpty()) {
        throw new SnapshotRejectedException(
            "route "
                + route.id().qualifiedName()
                + " target "
                + target.name()
                + " uses provider '"
                + target.provider()
                + "' which this gateway does not support");
      }
    }
  }

  private static List<String> modelNames(RouteConfig route) {
    List<String> names = new ArrayList<>(1 + route.aliases().size());
    names.add(route.model());
    names.addAll(route.aliases());
    return names;
  }

  private static void index(KeyConfig key, Map<String, KeyEntry> keys) {
    for (KeyConfig.KeyHash hash : key.hashes()) {
      keys.put(
          hash.sha256Hex(),
          new KeyEntry(key, KeyHashing.fromHex(hash.sha256Hex()), hash.validUntil()));
    }
  }

  private static void unindex(KeyConfig old, Map<String, KeyEntry> keys) {
    if (old == null) {
      return;
    }
    for (KeyConfig.KeyHash hash : old.hashes()) {
      KeyEntry entry = keys.get(hash.sha256Hex());
      if (entry != null && entry.key() == old) {
        keys.remove(hash.sha256Hex());
      }
    }
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  Optional<KeyEntry> keyByHash(String sha256Hex) {
    return Optional.ofNullable(keysByHash.get(sha256Hex));
  }

  /** The route of that name. */
  public Optional<RouteConfig> route(String qualifiedName) {
    return Optional.ofNullable(routesByName.get(qualifiedName));
  }

  /** Routes that answer to a model name or alias, ordered by namespace then name. */
  public List<RouteConfig> routesForModel(String model) {
    return routesByModel.getOrDefault(model, List.of());
  }

  /**
   * Refuses a route this gateway cannot enforce (a guardrail check type, prompt templates or a
   * cache mode it lacks, its own or through its policies, template and target routes).
   *
   * @throws GatewayException 503 {@code capability_missing} naming what is missing
   */
  public void requireEnforced(RouteConfig route) {
    if (!failClosed.reasons().isEmpty()
        && failClosed.reasons().containsKey(route.id().qualifiedName())) {
      throw failClosed.refusal(route.id().qualifiedName());
    }
  }

  /** What this gateway enforces. */
  public GatewayCapabilities capabilities() {
    return capabilities;
  }

  /** The entries of the snapshot this gateway cannot enforce (its routes fail closed). */
  public List<NotEnforced> notEnforced() {
    return failClosed.entries();
  }

  /** Every route a key may use, in a stable order. */
  public List<RouteConfig> routesVisibleTo(KeyConfig key) {
    return snapshot.routes().stream()
        .filter(r -> RouteAccess.keyMayUse(key, r))
        .sorted(ORDER)
        .toList();
  }

  /** Whether this state indexes exactly what {@code other} does (for tests of {@link #patch}). */
  boolean sameIndexesAs(GatewayState other) {
    return snapshot.equals(other.snapshot)
        && keysByName.equals(other.keysByName)
        && routesByName.equals(other.routesByName)
        && routesByModel.equals(other.routesByModel)
        && keysByHash.keySet().equals(other.keysByHash.keySet())
        && keysByHash.entrySet().stream()
            .allMatch(e -> e.getValue().sameAs(other.keysByHash.get(e.getKey())));
  }

  /** A key's entry for one of its hashes. */
  record KeyEntry(KeyConfig key, byte[] hash, Instant validUntil) {
    boolean sameAs(KeyEntry o) {
      return o != null
          && key.equals(o.key)
          && java.util.Arrays.equals(hash, o.hash)
          && java.util.Objects.equals(validUntil, o.validUntil);
    }
  }
}
