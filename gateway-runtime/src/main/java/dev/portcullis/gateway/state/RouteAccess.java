package dev.portcullis.gateway.state;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;

/**
 * The namespace isolation rule: a key reaches a route its namespace owns or that admits its
 * namespace, and, when the key lists routes, only those.
 */
public final class RouteAccess {
  private RouteAccess() {}

  public static boolean keyMayUse(KeyConfig key, RouteConfig route) {
    if (!route.admits(key.id().namespace())) {
      return false;
    }
    return key.routes().isEmpty() || key.routes().contains(route.id().qualifiedName());
  }
}
