package dev.portcullis.gateway.state;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.KeyHashing;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.provider.ProviderRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot compiled for the hot path: keys by hash, routes by model name. Immutable; the gateway
 * swaps the whole state when a new snapshot is applied.
 */
public final class GatewayState {
  private final Snapshot snapshot;
  private final Map<String, KeyEntry> keysByHash;
  private final Map<String, RouteConfig> routesByName;
  private final Map<String, List<RouteConfig>> routesByModel;

  private GatewayState(Snapshot snapshot) {
    this.snapshot = snapshot;
    Map<String, KeyEntry> keys = new HashMap<>();
    for (KeyConfig key : snapshot.keys()) {
      for (KeyConfig.KeyHash hash : key.hashes()) {
        keys.put(
            hash.sha256Hex(),
            new KeyEntry(key, KeyHashing.fromHex(hash.sha256Hex()), hash.validUntil()));
      }
    }
    Map<String, RouteConfig> byName = new HashMap<>();
    Map<String, List<RouteConfig>> byModel = new HashMap<>();
    for (RouteConfig route : snapshot.routes()) {
      byName.put(route.id().qualifiedName(), route);
      byModel.computeIfAbsent(route.model(), m -> new ArrayList<>()).add(route);
      for (String alias : route.aliases()) {
        byModel.computeIfAbsent(alias, m -> new ArrayList<>()).add(route);
      }
    }
    // Deterministic choice among other namespaces' routes: by namespace, then name.
    Comparator<RouteConfig> order =
        Comparator.comparing((RouteConfig r) -> r.id().namespace())
            .thenComparing(r -> r.id().name());
    byModel.replaceAll((m, list) -> list.stream().sorted(order).toList());
    this.keysByHash = Map.copyOf(keys);
    this.routesByName = Map.copyOf(byName);
    this.routesByModel = Map.copyOf(byModel);
  }

  /**
   * Compiles a snapshot, or explains why this gateway cannot apply it (e.g. a provider this build
   * does not know).
   */
  public static GatewayState compile(Snapshot snapshot, ProviderRegistry providers)
      throws SnapshotRejectedException {
    for (RouteConfig route : snapshot.routes()) {
      for (TargetConfig target : route.targets()) {
        if (target.isRoute()) {
          if (!containsRoute(snapshot, target.route())) {
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
    return new GatewayState(snapshot);
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  Optional<KeyEntry> keyByHash(String sha256Hex) {
    return Optional.ofNullable(keysByHash.get(sha256Hex));
  }

  public Optional<RouteConfig> route(String qualifiedName) {
    return Optional.ofNullable(routesByName.get(qualifiedName));
  }

  /** Routes that answer to a model name or alias, ordered by namespace then name. */
  public List<RouteConfig> routesForModel(String model) {
    return routesByModel.getOrDefault(model, List.of());
  }

  /** Every route a key may use, in a stable order. */
  public List<RouteConfig> routesVisibleTo(KeyConfig key) {
    return snapshot.routes().stream()
        .filter(r -> RouteAccess.keyMayUse(key, r))
        .sorted(
            Comparator.comparing((RouteConfig r) -> r.id().namespace())
                .thenComparing(r -> r.id().name()))
        .toList();
  }

  /** A key's entry for one of its hashes. */
  record KeyEntry(KeyConfig key, byte[] hash, Instant validUntil) {}

  private static boolean containsRoute(Snapshot snapshot, String qualifiedName) {
    return snapshot.routes().stream().anyMatch(r -> r.id().qualifiedName().equals(qualifiedName));
  }
}
