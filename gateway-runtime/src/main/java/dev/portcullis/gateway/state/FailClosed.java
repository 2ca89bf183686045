package dev.portcullis.gateway.state;

import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.api.fleet.NotEnforced;
import dev.portcullis.api.snapshot.JsonTree;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of one state that this gateway cannot enforce, and their stand-ins (see {@link
 * GatewayState}). A stand-in keeps the route's name, model names and access rules, so it is found
 * exactly where the route would be; its strategy is Single and its only target names the route
 * behind {@link #TARGET_PREFIX}, a name no resource can have, which {@link GatewayState#route}
 * answers with {@link #refusal}.
 *
 * @param entries every entry this gateway cannot enforce (policies, templates, routes)
 * @param reasons route name to why it is not enforced
 * @param standIns route name to its stand-in
 * @param byModel the model names of those routes to their routes, stand-ins in place
 */
record FailClosed(
    List<NotEnforced> entries,
    Map<String, NotEnforced> reasons,
    Map<String, RouteConfig> standIns,
    Map<String, List<RouteConfig>> byModel) {

  /** Starts the target name of a stand-in; "!" cannot start a namespace or name. */
  static final String TARGET_PREFIX = "!capability-missing:";

  private static final FailClosed NONE = new FailClosed(List.of(), Map.of(), Map.of(), Map.of());

  static FailClosed of(
      Snapshot snapshot,
      GatewayCapabilities capabilities,
      Map<String, List<RouteConfig>> routesByModel) {
    List<NotEnforced> entries = capabilities.notEnforced(snapshot);
    if (entries.isEmpty()) {
      return NONE;
    }
    Map<String, NotEnforced> reasons = new HashMap<>();
    for (NotEnforced entry : entries) {
      if ("LLMRoute".equals(entry.kind())) {
        reasons.put(entry.name(), entry);
      }
    }
    Map<String, RouteConfig> standIns = new HashMap<>();
    for (RouteConfig route : snapshot.routes()) {
      if (reasons.containsKey(route.id().qualifiedName())) {
        standIns.put(route.id().qualifiedName(), standIn(route));
      }
    }
    Map<String, List<RouteConfig>> byModel = new HashMap<>();
    for (RouteConfig standIn : standIns.values()) {
      List<String> models = new ArrayList<>(standIn.aliases());
      models.add(standIn.model());
      for (String model : models) {
        byModel.computeIfAbsent(
            model,
            m ->
                routesByModel.getOrDefault(m, List.of()).stream()
                    .map(r -> standIns.getOrDefault(r.id().qualifiedName(), r))
                    .toList());
      }
    }
    return new FailClosed(List.copyOf(entries), reasons, standIns, byModel);
  }

  boolean any() {
    return !entries.isEmpty();
  }

  /** The answer to a request for {@code route}: 503, naming what this gateway lacks. */
  GatewayException refusal(String route) {
    NotEnforced entry = reasons.get(route);
    String missing = entry == null ? "a capability" : String.join(", ", entry.missing());
    return new GatewayException(
        ErrorKind.UNAVAILABLE,
        "capability_missing",
        "Route "
            + route
            + " needs "
            + missing
            + ", which this gateway does not enforce"
            + (entry == null ? "" : " (" + entry.reason() + ")")
            + "; it refuses the request rather than serve the route without it. Retry on a"
            + " gateway that enforces it.");
  }

  private static RouteConfig standIn(RouteConfig route) {
    String name = route.id().qualifiedName();
    TargetConfig refuse =
        new TargetConfig(
            "capability-missing",
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
            TARGET_PREFIX + name);
    return new RouteConfig(
        route.id(),
        route.model(),
        route.aliases(),
        new StrategyConfig(
            StrategyConfig.Mode.SINGLE, route.strategy().fallbackOn(), List.of(), null, null, null),
        List.of(refuse),
        route.retry(),
        null,
        route.timeout(),
        route.cache(),
        route.inputGuardrails(),
        route.outputGuardrails(),
        route.promptTemplate(),
        route.accessNamespaces(),
        route.logBodies());
  }
}
