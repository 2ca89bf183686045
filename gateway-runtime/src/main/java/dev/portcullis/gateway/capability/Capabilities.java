package dev.portcullis.gateway.capability;

import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig.CacheMode;
import dev.portcullis.gateway.endpoint.Endpoints;
import dev.portcullis.gateway.guardrail.CheckTypeRegistry;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What this gateway build enforces: the one place every feature that enforces part of a snapshot
 * registers itself. The gateway announces it to the operator when it connects and fails closed on
 * every entry that needs something not registered here (see the package README).
 *
 * <p>When a feature lands, it adds itself to {@link #ofThisBuild()} — the guardrail registry one
 * {@link Builder#guardrailCheckType} per check type it implements, the prompt stage {@link
 * Builder#promptTemplates}, the cache one {@link Builder#cacheMode} per mode — and from then on
 * routes that need it are served and reported {@code Programmed}.
 */
public final class Capabilities {
  private static final GatewayCapabilities THIS_BUILD = register(new Builder()).build();

  private Capabilities() {}

  /** What this build enforces, computed once at class load. */
  public static GatewayCapabilities ofThisBuild() {
    return THIS_BUILD;
  }

  /** A builder for other capability sets (tests simulating another build in a mixed fleet). */
  public static Builder builder() {
    return new Builder();
  }

  /** Every feature of this build registers here. */
  private static Builder register(Builder build) {
    // Client endpoints: exactly what the traffic service routes (the endpoint registry).
    Endpoints.builtIn().paths().forEach(build::endpoint);
    // Guardrail check types: every type the engine's registry runs, so the two cannot drift.
    CheckTypeRegistry.types().forEach(build::guardrailCheckType);
    // Prompt templates: rendered by pipeline.PromptStage.
    build.promptTemplates();
    // Cache modes: both served by pipeline.CacheStage (Semantic embeds in process, cache/).
    build.cacheMode(CacheMode.EXACT);
    build.cacheMode(CacheMode.SEMANTIC);
    return build;
  }

  /** Collects capabilities; {@link #build} gives the announced value. */
  public static final class Builder {
    private final Set<String> endpoints = new LinkedHashSet<>();
    private final Set<String> guardrailCheckTypes = new LinkedHashSet<>();
    private final Set<CacheMode> cacheModes = new LinkedHashSet<>();
    private boolean promptTemplates;

    private Builder() {}

    /** A client path this build serves, e.g. {@code /v1/chat/completions}. */
    public Builder endpoint(String path) {
      endpoints.add(path);
      return this;
    }

    /** A guardrail check type this build runs, as named in the CRD ({@code regex}, ...). */
    public Builder guardrailCheckType(String type) {
      guardrailCheckTypes.add(type);
      return this;
    }

    /** This build renders prompt templates. */
    public Builder promptTemplates() {
      promptTemplates = true;
      return this;
    }

    /** A cache mode this build serves ({@code DISABLED} needs no registration). */
    public Builder cacheMode(CacheMode mode) {
      cacheModes.add(mode);
      return this;
    }

    public GatewayCapabilities build() {
      return new GatewayCapabilities(
          GatewayCapabilities.VERSION, endpoints, guardrailCheckTypes, promptTemplates, cacheModes);
    }
  }
}
