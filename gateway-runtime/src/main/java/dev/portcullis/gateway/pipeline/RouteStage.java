package dev.portcullis.gateway.pipeline;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.gateway.routing.RequestAttributes;
import dev.portcullis.gateway.routing.Router;

/**
 * Resolves the route for the requested model among the routes the key may use, and plans the
 * targets to try (strategy, conditions, cooldowns). Names the route in {@code x-portcullis-route}.
 * A route this gateway cannot enforce is refused here, before any limit or upstream is touched.
 */
final class RouteStage implements Stage {
  private final Router router;

  RouteStage(Router router) {
    this.router = router;
  }

  @Override
  public Flow apply(RequestContext request) {
    RequestBody body = request.body();
    RouteConfig route = RouteResolver.resolve(request.state(), request.key(), body.model());
    request.state().requireEnforced(route);
    request.route(route);
    request.header("x-portcullis-route", route.id().qualifiedName());
    request.plan(
        router.plan(
            request.state(), route, new RequestAttributes(request.call().headers(), body::tree)));
    return Flow.CONTINUE;
  }
}
