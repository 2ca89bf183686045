package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import java.util.List;

/** {@code Single}: always the route's first target, nothing to fall back to. */
final class SingleStrategy implements RoutingStrategy {
  @Override
  public List<TargetConfig> order(
      RouteConfig route, List<TargetConfig> candidates, RoutingContext context) {
    TargetConfig first = route.targets().getFirst();
    // A cooling-down first target is not replaced by another: Single means this one target.
    return candidates.contains(first) ? List.of(first) : List.of();
  }
}
