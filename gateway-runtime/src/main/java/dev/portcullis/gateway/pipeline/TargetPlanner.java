package dev.portcullis.gateway.pipeline;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.state.GatewayState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Orders a route's targets into the attempts to make: the strategy picks the first, and the
 * fallback order follows. Nested routes are expanded in place (the resolver rejects cycles).
 */
final class TargetPlanner {
  private TargetPlanner() {}

  /** A provider target to try, with the route it belongs to. */
  record Attempt(RouteConfig route, TargetConfig target) {}

  static List<Attempt> plan(GatewayState state, RouteConfig route) {
    List<Attempt> out = new ArrayList<>();
    expand(state, route, out, 0);
    return out;
  }

  private static void expand(GatewayState state, RouteConfig route, List<Attempt> out, int depth) {
    if (depth > 8) {
      return;
    }
    for (TargetConfig target : order(route)) {
      if (target.isRoute()) {
        state.route(target.route()).ifPresent(r -> expand(state, r, out, depth + 1));
      } else {
        out.add(new Attempt(route, target));
      }
    }
  }

  private static List<TargetConfig> order(RouteConfig route) {
    List<TargetConfig> targets = route.targets();
    return switch (route.strategy().mode()) {
      case SINGLE -> targets.isEmpty() ? List.of() : List.of(targets.getFirst());
      case LOAD_BALANCE -> weightedFirst(targets);
      default -> targets;
    };
  }

  private static List<TargetConfig> weightedFirst(List<TargetConfig> targets) {
    int total = 0;
    for (TargetConfig t : targets) {
      total += Math.max(1, t.weight());
    }
    int pick = ThreadLocalRandom.current().nextInt(total);
    int chosen = 0;
    for (int i = 0; i < targets.size(); i++) {
      pick -= Math.max(1, targets.get(i).weight());
      if (pick < 0) {
        chosen = i;
        break;
      }
    }
    List<TargetConfig> out = new ArrayList<>(targets.size());
    out.add(targets.get(chosen));
    for (int i = 0; i < targets.size(); i++) {
      if (i != chosen) {
        out.add(targets.get(i));
      }
    }
    return out;
  }
}
