package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import java.util.List;

/** {@code Fallback}: the targets in declaration order. */
final class FallbackStrategy implements RoutingStrategy {
  @Override
  public List<TargetConfig> order(
      RouteConfig route, List<TargetConfig> candidates, RoutingContext context) {
    return candidates;
  }
}
