package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;

/**
 * Names one target of one route across snapshots, so health and latency history survive a new
 * configuration that keeps the target.
 *
 * @param route qualified route name
 */
public record TargetKey(String route, String target) {
  public static TargetKey of(RouteConfig route, TargetConfig target) {
    return new TargetKey(route.id().qualifiedName(), target.name());
  }

  @Override
  public String toString() {
    return route + "#" + target;
  }
}
