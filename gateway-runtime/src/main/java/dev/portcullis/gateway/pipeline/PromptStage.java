package dev.portcullis.gateway.pipeline;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.gateway.cost.UsdAmount;
import dev.portcullis.gateway.endpoint.RequestSchema;
import dev.portcullis.gateway.endpoint.openai.chat.ChatCompletionsEndpoint;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.prompt.CompiledPrompt;
import dev.portcullis.gateway.prompt.PromptRenderer;
import dev.portcullis.gateway.prompt.PromptResults;
import dev.portcullis.gateway.prompt.RenderedPrompt;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.routing.RequestAttributes;
import dev.portcullis.gateway.routing.Router;
import dev.portcullis.gateway.state.GatewayState;
import dev.portcullis.gateway.state.RouteAccess;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * Renders prompt templates into the request (see {@code prompt/README.md}): for {@code
 * /v1/prompts/{name}/…} the template named in the path, looked up in the key's namespace, whose
 * version's route becomes the request's route; for {@code /v1/chat/completions} the route's default
 * template ({@code spec.promptTemplate}). Either way the rendering replaces the body, so every
 * later stage (limits, input guardrails, routing, cost, relay) sees the rendered chat request, and
 * the targets are planned again over it. {@code /render} is answered here.
 *
 * <p>The version goes into {@code x-portcullis-prompt-version} and {@link
 * RequestContext#promptVersion}; once the request is finished (cost settled) its results are added
 * to the version's in {@link PromptResults}.
 */
final class PromptStage implements Stage {
  static final String VERSION_HEADER = "x-portcullis-prompt-version";

  /** The rendering is a chat completions request and is checked as one. */
  private static final RequestSchema CHAT = new ChatCompletionsEndpoint().schema();

  private final Router router;
  private final PromptRenderer renderer;
  private final PromptResults results;

  PromptStage(Router router, PromptRenderer renderer, PromptResults results) {
    this.router = router;
    this.renderer = renderer;
    this.results = results;
  }

  @Override
  public Flow apply(RequestContext request) {
    if (request.call().endpoint().namesPromptTemplate()) {
      return promptRequest(request);
    }
    Optional<CompiledPrompt> routeDefault = request.state().prompts().defaultFor(request.route());
    if (routeDefault.isEmpty()) {
      return Flow.CONTINUE;
    }
    ClientCall call = request.call();
    RouteConfig route = request.route();
    if (call.format() != WireFormat.OPENAI || call.operation() != Operation.CHAT) {
      // Sending the request untemplated would skip the instructions the route's owners require.
      throw new GatewayException(
          ErrorKind.BAD_REQUEST,
          "prompt_template_requires_chat",
          "Route "
              + route.id().qualifiedName()
              + " renders prompt template "
              + route.promptTemplate()
              + " into every request: call it with POST /v1/chat/completions (variables in the"
              + " body's variables field).");
    }
    RenderedPrompt rendered =
        renderer.applyRouteDefault(
            routeDefault.get(), route, request.body().tree(), attributes(request));
    proceedWith(request, rendered);
    return Flow.CONTINUE;
  }

  /** {@code /v1/prompts/{name}/render} and {@code …/completions}. */
  private Flow promptRequest(RequestContext request) {
    ClientCall call = request.call();
    GatewayState state = request.state();
    KeyConfig key = request.key();
    CompiledPrompt prompt =
        state.prompts().require(key.id().namespace(), call.pathParameter("name"));
    RenderedPrompt rendered = renderer.render(prompt, request.body().tree(), attributes(request));
    RouteConfig route = routeOf(state, key, rendered);
    state.requireEnforced(route);
    request.route(route);
    request.header("x-portcullis-route", route.id().qualifiedName());
    if (call.endpoint().rendersOnly()) {
      request.prompt(rendered.template(), rendered.version());
      request.header(VERSION_HEADER, rendered.version());
      request.send(200, RequestBody.serialize(rendered.renderAnswer()));
      return Flow.ANSWERED;
    }
    proceedWith(request, rendered);
    return Flow.CONTINUE;
  }

  /**
   * The route a rendered prompt request goes to: the one its template chose, else the one its
   * body's model resolves to. Either way the key must be allowed to use it: the template chose the
   * route, the key did not.
   */
  private static RouteConfig routeOf(GatewayState state, KeyConfig key, RenderedPrompt rendered) {
    if (rendered.route() == null) {
      return RouteResolver.resolve(state, key, rendered.request().get("model").asText());
    }
    RouteConfig route =
        state
            .route(rendered.route())
            .orElseThrow(
                () ->
                    new GatewayException(
                        ErrorKind.UNAVAILABLE,
                        "prompt_route_unavailable",
                        "Prompt template "
                            + rendered.template()
                            + " version "
                            + rendered.version()
                            + " is sent to route "
                            + rendered.route()
                            + ", which is not ready on this gateway."));
    if (!RouteAccess.keyMayUse(key, route)) {
      throw new GatewayException(
          ErrorKind.FORBIDDEN,
          "route_not_allowed",
          "Prompt template "
              + rendered.template()
              + " version "
              + rendered.version()
              + " is sent to route "
              + route.id().qualifiedName()
              + ", which virtual key "
              + key.keyId()
              + " may not use.");
    }
    return route;
  }

  /**
   * Replaces the body with the rendering, plans the route's targets over it (conditions may read
   * the version's params), names the version and records its results when the request is done.
   */
  private void proceedWith(RequestContext request, RenderedPrompt rendered) {
    RequestBody body = RequestBody.scan(RequestBody.serialize(rendered.request()), CHAT.types());
    request.body(body);
    request.prompt(rendered.template(), rendered.version());
    request.header(VERSION_HEADER, rendered.version());
    request.plan(
        router.plan(
            request.state(),
            request.route(),
            new RequestAttributes(request.call().headers(), body::tree)));
    request.whenFinished(() -> results.record(rendered, outcome(request)));
  }

  private static RequestAttributes attributes(RequestContext request) {
    return new RequestAttributes(request.call().headers(), request.body()::tree);
  }

  /** How the request ended, read once every observer (accounting included) heard of the end. */
  private static PromptResults.Outcome outcome(RequestContext request) {
    String cost = request.costUsd();
    return new PromptResults.Outcome(
        request.outcome() != ResponseObserver.Outcome.ANSWERED,
        request.reportedUsage().orElse(Usage.ZERO),
        cost == null ? 0 : UsdAmount.toNanos(new BigDecimal(cost)),
        Duration.ofNanos(Math.max(0, request.endNanos() - request.startNanos())));
  }
}
