package dev.portcullis.gateway.prompt;

import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.RouteConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A {@code PromptTemplate} ready to render: its versions compiled, its variables by name, and the
 * routes its versions go to. Immutable and shared by every request of a snapshot.
 */
public final class CompiledPrompt {
  private final PromptTemplateConfig config;
  private final SequencedMap<String, CompiledVersion> versions;
  private final Map<String, PromptTemplateConfig.Variable> variables;
  private final Map<String, RouteConfig> routesByName;
  private final RouteConfig namingRoute;

  /**
   * @param routesByName the snapshot's routes that a version of this template names
   * @param namingRoute the route that names this template as its {@code promptTemplate}, or null
   */
  CompiledPrompt(
      PromptTemplateConfig config,
      List<CompiledVersion> versions,
      Map<String, RouteConfig> routesByName,
      RouteConfig namingRoute) {
    this.config = config;
    SequencedMap<String, CompiledVersion> byName = new LinkedHashMap<>();
    for (CompiledVersion version : versions) {
      byName.put(version.name(), version);
    }
    this.versions = byName;
    Map<String, PromptTemplateConfig.Variable> vars = new LinkedHashMap<>();
    for (PromptTemplateConfig.Variable variable : config.variables()) {
      vars.put(variable.name(), variable);
    }
    this.variables = vars;
    this.routesByName = Map.copyOf(routesByName);
    this.namingRoute = namingRoute;
  }

  public ResourceId id() {
    return config.id();
  }

  /** {@code namespace/name}, as results and errors name the template. */
  public String qualifiedName() {
    return config.id().qualifiedName();
  }

  /** The names of the versions, as declared. */
  public List<String> versionNames() {
    return List.copyOf(versions.keySet());
  }

  PromptTemplateConfig config() {
    return config;
  }

  List<CompiledVersion> compiledVersions() {
    return List.copyOf(versions.values());
  }

  CompiledVersion version(String name) {
    return versions.get(name);
  }

  Map<String, PromptTemplateConfig.Variable> variables() {
    return variables;
  }

  /**
   * The route a prompt request for {@code version} goes to: the version's own {@code route}, else
   * the route that names this template; null when neither exists, or when the version names a route
   * this snapshot does not hold (the resolver leaves such a template out, so only a hand-built
   * snapshot has one).
   */
  RouteConfig routeFor(CompiledVersion version) {
    return version.route() != null ? routesByName.get(version.route()) : namingRoute;
  }
}
