package dev.portcullis.gateway.prompt;

import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.template.CompiledTemplate;
import dev.portcullis.api.template.TemplateSyntax;
import dev.portcullis.api.template.TemplateSyntaxException;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Every prompt template of a snapshot, compiled once when the snapshot is applied and looked up by
 * {@code (namespace, name)} per request. Immutable; the gateway swaps it together with its state.
 *
 * <p>Compiling from the previous {@code CompiledPrompts} ({@link #compile(Snapshot,
 * CompiledPrompts)}) reuses the compiled versions of every template whose configuration did not
 * change, so a snapshot that changes one key or route does not compile any template again.
 */
public final class CompiledPrompts {
  private static final Logger LOG = Logger.getLogger(CompiledPrompts.class.getName());

  /** Deterministic choice among several routes naming one template: by namespace, then name. */
  private static final Comparator<RouteConfig> ROUTE_ORDER =
      Comparator.comparing((RouteConfig r) -> r.id().namespace()).thenComparing(r -> r.id().name());

  /** No templates at all, the state before the first snapshot. */
  public static final CompiledPrompts EMPTY = new CompiledPrompts(Map.of());

  private final Map<String, CompiledPrompt> byName;

  private CompiledPrompts(Map<String, CompiledPrompt> byName) {
    this.byName = Map.copyOf(byName);
  }

  /** Compiles every template of {@code snapshot}. */
  public static CompiledPrompts compile(Snapshot snapshot) {
    return compile(snapshot, EMPTY, TemplateSyntax::compile);
  }

  /**
   * Compiles the templates of {@code snapshot}, reusing from {@code previous} every template whose
   * configuration is unchanged.
   */
  public static CompiledPrompts compile(Snapshot snapshot, CompiledPrompts previous) {
    return compile(snapshot, previous, TemplateSyntax::compile);
  }

  /**
   * @param compiler compiles one message's content; tests count its calls
   */
  static CompiledPrompts compile(
      Snapshot snapshot, CompiledPrompts previous, Function<String, CompiledTemplate> compiler) {
    Map<String, RouteConfig> routes = new HashMap<>();
    Map<String, List<RouteConfig>> naming = new HashMap<>();
    for (RouteConfig route : snapshot.routes()) {
      routes.put(route.id().qualifiedName(), route);
      if (route.promptTemplate() != null) {
        naming.computeIfAbsent(route.promptTemplate(), t -> new ArrayList<>()).add(route);
      }
    }
    Map<String, CompiledPrompt> byName = new HashMap<>();
    for (PromptTemplateConfig config : snapshot.templates()) {
      String name = config.id().qualifiedName();
      List<CompiledVersion> versions;
      CompiledPrompt before = previous.byName.get(name);
      if (before != null && before.config().equals(config)) {
        versions = before.compiledVersions();
      } else {
        try {
          versions =
              config.versions().stream().map(v -> CompiledVersion.compile(v, compiler)).toList();
        } catch (TemplateSyntaxException e) {
          // The resolver compiles with the same compiler and leaves such a template out; only a
          // snapshot from elsewhere can hold one. Serve the others.
          LOG.warning("prompt template " + name + " left out: " + e.getMessage());
          continue;
        }
      }
      Map<String, RouteConfig> versionRoutes = new HashMap<>();
      for (PromptTemplateConfig.Version version : config.versions()) {
        if (version.route() != null && routes.containsKey(version.route())) {
          versionRoutes.put(version.route(), routes.get(version.route()));
        }
      }
      RouteConfig namingRoute = namingRoute(config, naming.getOrDefault(name, List.of()));
      byName.put(name, new CompiledPrompt(config, versions, versionRoutes, namingRoute));
    }
    return new CompiledPrompts(byName);
  }

  /** A route of the template's own namespace first, then the first by namespace and name. */
  private static RouteConfig namingRoute(PromptTemplateConfig config, List<RouteConfig> naming) {
    return naming.stream()
        .min(
            Comparator.comparing(
                    (RouteConfig r) -> !r.id().namespace().equals(config.id().namespace()))
                .thenComparing(ROUTE_ORDER))
        .orElse(null);
  }

  /** The template {@code namespace/name}, if this snapshot holds it. */
  public Optional<CompiledPrompt> find(String namespace, String name) {
    return Optional.ofNullable(byName.get(namespace + "/" + name));
  }

  /**
   * The template a prompt request names, looked up in the caller key's namespace.
   *
   * @throws GatewayException 404 {@code prompt_template_not_found} when there is none
   */
  public CompiledPrompt require(String namespace, String name) {
    return find(namespace, name)
        .orElseThrow(
            () ->
                new GatewayException(
                    ErrorKind.NOT_FOUND,
                    "prompt_template_not_found",
                    "There is no prompt template '"
                        + name
                        + "' in namespace "
                        + namespace
                        + " (kubectl get pt -n "
                        + namespace
                        + " lists them; a template that is not Ready is not served)."));
  }

  /**
   * The default template of {@code route} ({@code spec.promptTemplate}); empty when the route names
   * none.
   *
   * @throws GatewayException 503 {@code prompt_template_unavailable} when the route names a
   *     template this snapshot does not hold: sending the caller's request untemplated would skip
   *     the instructions the route's owners require
   */
  public Optional<CompiledPrompt> defaultFor(RouteConfig route) {
    if (route.promptTemplate() == null) {
      return Optional.empty();
    }
    CompiledPrompt prompt = byName.get(route.promptTemplate());
    if (prompt == null) {
      throw new GatewayException(
          ErrorKind.UNAVAILABLE,
          "prompt_template_unavailable",
          "Route "
              + route.id().qualifiedName()
              + " uses prompt template "
              + route.promptTemplate()
              + ", which is not ready on this gateway; see the template's status.");
    }
    return Optional.of(prompt);
  }

  /** How many templates are compiled. */
  public int size() {
    return byName.size();
  }
}
