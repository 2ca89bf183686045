package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.state.GatewayState;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders a route's targets into the attempts to make: each route's strategy orders its own targets,
 * and a target that is another route is expanded in place with that route's strategy (load
 * balancing inside a fallback, say). Provider targets that are cooling down are left out before the
 * strategy chooses, so weights and scores spread over the healthy ones. The resolver rejects
 * cycles; the depth cap only guards against a snapshot built by hand.
 */
final class TargetPlanner {
  static final int MAX_DEPTH = 8;

  private final RoutingStrategies strategies;
  private final Cooldowns cooldowns;

  TargetPlanner(RoutingStrategies strategies, Cooldowns cooldowns) {
    this.strategies = strategies;
    this.cooldowns = cooldowns;
  }

  List<Attempt> plan(GatewayState state, RouteConfig route, RoutingContext context) {
    List<Attempt> out = new ArrayList<>();
    expand(state, List.of(route), List.of(), context, out);
    return out;
  }

  private void expand(
      GatewayState state,
      List<RouteConfig> via,
      List<TargetConfig> hops,
      RoutingContext context,
      List<Attempt> out) {
    RouteConfig route = via.getLast();
    if (via.size() > MAX_DEPTH || route.targets().isEmpty()) {
      return;
    }
    List<TargetConfig> candidates = new ArrayList<>(route.targets().size());
    for (TargetConfig t : route.targets()) {
      if (t.isRoute()
          || route.cooldown() == null
          || cooldowns.of(TargetKey.of(route, t)).available()) {
        candidates.add(t);
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    for (TargetConfig target :
        strategies.forMode(route.strategy().mode()).order(route, candidates, context)) {
      if (!target.isRoute()) {
        out.add(new Attempt(via, hops, target));
        continue;
      }
      RouteConfig nested = state.route(target.route()).orElse(null);
      if (nested == null) {
        continue;
      }
      List<RouteConfig> deeper = new ArrayList<>(via);
      deeper.add(nested);
      List<TargetConfig> path = new ArrayList<>(hops);
      path.add(target);
      expand(state, deeper, path, context, out);
    }
  }
}
