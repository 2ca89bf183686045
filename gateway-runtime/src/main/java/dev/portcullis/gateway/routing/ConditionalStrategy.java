package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.ConditionRule;
import dev.portcullis.api.snapshot.TargetConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Conditional}: the target of the first rule whose matcher holds, else {@code default} (the
 * first target when none is written). When the matched target fails as {@code fallbackOn} says, the
 * default is tried after it.
 */
final class ConditionalStrategy implements RoutingStrategy {
  @Override
  public List<TargetConfig> order(
      RouteConfig route, List<TargetConfig> candidates, RoutingContext context) {
    String chosen = null;
    for (ConditionRule rule : route.strategy().conditions()) {
      if (ConditionMatcher.matches(rule.when().copy(), context.request())) {
        chosen = rule.target();
        break;
      }
    }
    String fallback =
        route.strategy().defaultTarget() != null
            ? route.strategy().defaultTarget()
            : route.targets().getFirst().name();
    List<TargetConfig> out = new ArrayList<>(2);
    add(candidates, chosen, out);
    add(candidates, fallback, out);
    return out;
  }

  private static void add(List<TargetConfig> candidates, String name, List<TargetConfig> out) {
    if (name == null) {
      return;
    }
    for (TargetConfig t : candidates) {
      if (t.name().equals(name) && !out.contains(t)) {
        out.add(t);
      }
    }
  }
}
