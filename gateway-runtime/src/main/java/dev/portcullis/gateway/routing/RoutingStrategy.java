package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import java.util.List;

/**
 * How a route orders its targets for one request. The first target is the strategy's pick; the rest
 * are where a failure may move on to (as {@code strategy.fallbackOn} allows). One implementation
 * per {@code strategy.mode}, registered in {@link RoutingStrategies}.
 */
public interface RoutingStrategy {
  /**
   * @param candidates the route's targets that are not cooling down, in declaration order, never
   *     empty
   * @return the targets to try, in order; may leave some out
   */
  List<TargetConfig> order(
      RouteConfig route, List<TargetConfig> candidates, RoutingContext context);
}
