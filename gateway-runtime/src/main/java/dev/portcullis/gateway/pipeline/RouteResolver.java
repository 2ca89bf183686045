package dev.portcullis.gateway.pipeline;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.state.GatewayState;
import dev.portcullis.gateway.state.RouteAccess;

/**
 * Finds the route for a model name among the routes a key may use: the key's own namespace first,
 * then routes of other namespaces that admit it; {@code namespace/model} names one namespace
 * explicitly.
 */
public final class RouteResolver {
  private RouteResolver() {}

  public static RouteConfig resolve(GatewayState state, KeyConfig key, String model) {
    String namespace = null;
    String name = model;
    int slash = model.indexOf('/');
    // "team-b/gpt-4o" names a namespace; a model id such as "meta-llama/Llama-3" is tried as a
    // plain model name first so upstream-style ids keep working as route names.
    if (slash > 0 && state.routesForModel(model).isEmpty()) {
      namespace = model.substring(0, slash);
      name = model.substring(slash + 1);
    }
    RouteConfig foreign = null;
    for (RouteConfig route : state.routesForModel(name)) {
      if (namespace != null && !route.id().namespace().equals(namespace)) {
        continue;
      }
      if (!RouteAccess.keyMayUse(key, route)) {
        continue;
      }
      if (route.id().namespace().equals(key.id().namespace())) {
        return route;
      }
      if (foreign == null) {
        foreign = route;
      }
    }
    if (foreign != null) {
      return foreign;
    }
    throw new GatewayException(
        ErrorKind.NOT_FOUND,
        "model_not_found",
        "The model '"
            + model
            + "' does not exist or virtual key "
            + key.keyId()
            + " may not use it. GET /v1/models lists the models this key can use.",
        "model");
  }
}
