package dev.portcullis.gateway.testing;

import dev.portcullis.api.snapshot.JsonTree;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.KeyHashing;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig;
import dev.portcullis.api.snapshot.RouteConfig.FallbackOn;
import dev.portcullis.api.snapshot.RouteConfig.RetryConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds snapshots in code for gateway tests, without going through resources. */
public final class TestSnapshots {
  private static final AtomicInteger VERSIONS = new AtomicInteger();

  private final List<RouteConfig> routes = new ArrayList<>();
  private final List<KeyConfig> keys = new ArrayList<>();

  public static TestSnapshots builder() {
    return new TestSnapshots();
  }

  public static TargetConfig provider(String name, String provider, String model, String baseUrl) {
    return new TargetConfig(
        name,
        provider,
        model,
        baseUrl,
        SecretValue.of("sk-upstream-" + name),
        1,
        TargetConfig.Timeouts.NONE,
        JsonTree.EMPTY,
        null,
        null,
        null,
        null);
  }

  public static TargetConfig echo(String name) {
    return new TargetConfig(
        name,
        "echo",
        null,
        null,
        null,
        1,
        TargetConfig.Timeouts.NONE,
        JsonTree.EMPTY,
        null,
        null,
        null,
        null);
  }

  public static TargetConfig withTimeouts(TargetConfig t, Duration connect, Duration firstByte) {
    return new TargetConfig(
        t.name(),
        t.provider(),
        t.model(),
        t.baseUrl(),
        t.apiKey(),
        t.weight(),
        new TargetConfig.Timeouts(connect, firstByte, null),
        t.params(),
        t.azure(),
        t.pricing(),
        t.limits(),
        t.route());
  }

  public static TargetConfig routeTarget(String name, String qualifiedRoute) {
    return new TargetConfig(
        name,
        null,
        null,
        null,
        null,
        1,
        TargetConfig.Timeouts.NONE,
        JsonTree.EMPTY,
        null,
        null,
        null,
        qualifiedRoute);
  }

  /** A route built with {@link RouteSpec}. */
  public TestSnapshots route(RouteSpec spec) {
    routes.add(spec.build());
    return this;
  }

  /** Starts a route in namespace {@code team-a} whose model is its name. */
  public static RouteSpec routeSpec(String name, StrategyConfig.Mode mode, TargetConfig... ts) {
    return new RouteSpec("team-a", name, mode, List.of(ts));
  }

  public static TargetConfig withWeight(TargetConfig t, int weight) {
    return new TargetConfig(
        t.name(),
        t.provider(),
        t.model(),
        t.baseUrl(),
        t.apiKey(),
        weight,
        t.timeouts(),
        t.params(),
        t.azure(),
        t.pricing(),
        t.limits(),
        t.route());
  }

  public static TargetConfig withTimeouts(
      TargetConfig t, Duration connect, Duration firstByte, Duration total) {
    return new TargetConfig(
        t.name(),
        t.provider(),
        t.model(),
        t.baseUrl(),
        t.apiKey(),
        t.weight(),
        new TargetConfig.Timeouts(connect, firstByte, total),
        t.params(),
        t.azure(),
        t.pricing(),
        t.limits(),
        t.route());
  }

  public static TargetConfig withPricing(
      TargetConfig t, String inputPerMTok, String outputPerMTok) {
    return new TargetConfig(
        t.name(),
        t.provider(),
        t.model(),
        t.baseUrl(),
        t.apiKey(),
        t.weight(),
        t.timeouts(),
        t.params(),
        t.azure(),
        new TargetConfig.Pricing(
            new java.math.BigDecimal(inputPerMTok), new java.math.BigDecimal(outputPerMTok), null),
        t.limits(),
        t.route());
  }

  /**
   * A route with every routing setting at hand; defaults as the resolver gives them (fallback on
   * 429/5xx, timeouts and connection errors; no retries; no cooldown, hedge or deadline).
   */
  public static final class RouteSpec {
    private final String namespace;
    private final String name;
    private final StrategyConfig.Mode mode;
    private final List<TargetConfig> targets;
    private FallbackOn fallbackOn = new FallbackOn(Set.of(429, 500, 502, 503, 504), true, true);
    private final List<RouteConfig.ConditionRule> conditions = new ArrayList<>();
    private String defaultTarget;
    private Duration hedgeAfter;
    private RouteConfig.AdaptiveWeights adaptive;
    private RetryConfig retry =
        new RetryConfig(
            0,
            Duration.ofMillis(200),
            Duration.ofSeconds(5),
            Set.of(429, 502, 503),
            true,
            Duration.ofSeconds(30));
    private RouteConfig.CooldownConfig cooldown;
    private Duration timeout;

    RouteSpec(String namespace, String name, StrategyConfig.Mode mode, List<TargetConfig> ts) {
      this.namespace = namespace;
      this.name = name;
      this.mode = mode;
      this.targets = ts;
    }

    public RouteSpec fallbackOn(Set<Integer> statuses, boolean timeouts, boolean connectionErrors) {
      this.fallbackOn = new FallbackOn(statuses, timeouts, connectionErrors);
      return this;
    }

    /** A Conditional rule; {@code whenJson} is the matcher tree as JSON. */
    public RouteSpec when(String whenJson, String target) {
      try {
        conditions.add(
            new RouteConfig.ConditionRule(
                JsonTree.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(whenJson)),
                target));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(whenJson, e);
      }
      return this;
    }

    public RouteSpec defaultTarget(String target) {
      this.defaultTarget = target;
      return this;
    }

    public RouteSpec hedgeAfter(Duration after) {
      this.hedgeAfter = after;
      return this;
    }

    public RouteSpec adaptive(double latency, double errors, double cost, double explore) {
      this.adaptive = new RouteConfig.AdaptiveWeights(latency, errors, cost, explore);
      return this;
    }

    public RouteSpec retry(
        int attempts, Duration base, Duration max, Set<Integer> onStatus, Duration maxRetryAfter) {
      this.retry = new RetryConfig(attempts, base, max, onStatus, true, maxRetryAfter);
      return this;
    }

    public RouteSpec cooldown(int failures, Duration window, Duration duration) {
      this.cooldown = new RouteConfig.CooldownConfig(failures, window, duration);
      return this;
    }

    public RouteSpec timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    RouteConfig build() {
      return new RouteConfig(
          new ResourceId(namespace, name, 1),
          name,
          List.of(),
          new StrategyConfig(mode, fallbackOn, conditions, defaultTarget, hedgeAfter, adaptive),
          targets,
          retry,
          cooldown,
          timeout,
          new CacheConfig(CacheConfig.CacheMode.DISABLED, null, 0),
          List.of(),
          List.of(),
          null,
          Set.of(),
          false);
    }
  }

  public TestSnapshots route(
      String namespace, String name, String model, StrategyConfig.Mode mode, TargetConfig... ts) {
    return route(namespace, name, model, mode, Set.of(), ts);
  }

  public TestSnapshots route(
      String namespace,
      String name,
      String model,
      StrategyConfig.Mode mode,
      Set<String> access,
      TargetConfig... ts) {
    routes.add(
        new RouteConfig(
            new ResourceId(namespace, name, 1),
            model,
            List.of(),
            new StrategyConfig(
                mode,
                new FallbackOn(Set.of(429, 500, 502, 503, 504), true, true),
                List.of(),
                null,
                null,
                null),
            List.of(ts),
            new RetryConfig(0, Duration.ofMillis(100), Duration.ofSeconds(1), Set.of(), true, null),
            null,
            null,
            new CacheConfig(CacheConfig.CacheMode.DISABLED, null, 0),
            List.of(),
            List.of(),
            null,
            access,
            false));
    return this;
  }

  /** Gives the route {@code namespace/name} added before this cache configuration. */
  public TestSnapshots cache(String namespace, String name, CacheConfig cache) {
    for (int i = 0; i < routes.size(); i++) {
      RouteConfig r = routes.get(i);
      if (r.id().namespace().equals(namespace) && r.id().name().equals(name)) {
        routes.set(
            i,
            new RouteConfig(
                r.id(),
                r.model(),
                r.aliases(),
                r.strategy(),
                r.targets(),
                r.retry(),
                r.cooldown(),
                r.timeout(),
                cache,
                r.inputGuardrails(),
                r.outputGuardrails(),
                r.promptTemplate(),
                r.accessNamespaces(),
                r.logBodies()));
        return this;
      }
    }
    throw new IllegalArgumentException("no route " + namespace + "/" + name);
  }

  public TestSnapshots key(String namespace, String name, String key) {
    return key(namespace, name, key, List.of(), false, null);
  }

  public TestSnapshots key(
      String namespace,
      String name,
      String key,
      List<String> routes,
      boolean disabled,
      Instant expiresAt) {
    keys.add(
        new KeyConfig(
            new ResourceId(namespace, name, 1),
            "vk_" + name,
            List.of(new KeyConfig.KeyHash(KeyHashing.sha256Hex(key), null)),
            routes,
            KeyConfig.Limits.NONE,
            null,
            expiresAt,
            true,
            Map.of(),
            Map.of(),
            disabled));
    return this;
  }

  /** A key with limits and a budget (null = none); {@code failOpen} as onStoreUnavailable. */
  public TestSnapshots key(
      String namespace,
      String name,
      String key,
      KeyConfig.Limits limits,
      KeyConfig.Budget budget,
      boolean failOpen) {
    keys.add(
        new KeyConfig(
            new ResourceId(namespace, name, 1),
            "vk_" + name,
            List.of(new KeyConfig.KeyHash(KeyHashing.sha256Hex(key), null)),
            List.of(),
            limits,
            budget,
            null,
            failOpen,
            Map.of(),
            Map.of(),
            false));
    return this;
  }

  /** The snapshot, its entries in namespace/name order as the resolver sorts them. */
  public Snapshot build() {
    return new Snapshot(
        Snapshot.SCHEMA_VERSION,
        "test-" + VERSIONS.incrementAndGet(),
        routes.stream()
            .sorted(
                java.util.Comparator.comparing((RouteConfig r) -> r.id().namespace())
                    .thenComparing(r -> r.id().name()))
            .toList(),
        keys.stream()
            .sorted(
                java.util.Comparator.comparing((KeyConfig k) -> k.id().namespace())
                    .thenComparing(k -> k.id().name()))
            .toList(),
        List.of(),
        List.of());
  }
}
