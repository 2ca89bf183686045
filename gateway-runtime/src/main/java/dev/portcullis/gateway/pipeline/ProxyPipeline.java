package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.http.ApiError;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.ErrorBodies;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Provider;
import dev.portcullis.gateway.provider.ProviderRegistry;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.TranslatorRegistry;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.provider.UpstreamTimeouts;
import dev.portcullis.gateway.provider.UpstreamTransport;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.routing.Attempt;
import dev.portcullis.gateway.routing.RequestAttributes;
import dev.portcullis.gateway.routing.RequestDeadline;
import dev.portcullis.gateway.routing.Routed;
import dev.portcullis.gateway.routing.Router;
import dev.portcullis.gateway.routing.UpstreamFailure;
import dev.portcullis.gateway.state.Authenticator;
import dev.portcullis.gateway.state.GatewayState;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The path of one proxied request, top to bottom: authenticate → parse → route → plan targets →
 * call upstream (failing over before the first byte) → relay the answer in the caller's format.
 * Later stages (prompt templates, guardrails, limits, cache, accounting) slot in between as their
 * own types.
 */
public final class ProxyPipeline {
  private static final Logger LOG = Logger.getLogger(ProxyPipeline.class.getName());

  private final Supplier<GatewayState> state;
  private final Authenticator authenticator;
  private final ProviderRegistry providers;
  private final TranslatorRegistry translators;
  private final UpstreamTransport http;
  private final Router router;
  private final LocalTokenCounter tokenCounter;

  public ProxyPipeline(
      Supplier<GatewayState> state,
      Authenticator authenticator,
      ProviderRegistry providers,
      TranslatorRegistry translators,
      UpstreamTransport http,
      Router router) {
    this.state = state;
    this.authenticator = authenticator;
    this.providers = providers;
    this.translators = translators;
    this.http = http;
    this.router = router;
    this.tokenCounter = new LocalTokenCounter();
  }

  /** Serves one call; every failure is answered in the caller's format. */
  public void handle(ClientCall call, ClientResponder out) {
    out.header("x-request-id", call.requestId());
    try {
      GatewayState current = requireState();
      KeyConfig key = authenticator.authenticate(current, call.apiKey());
      RequestBody body = parse(call);
      RouteConfig route = RouteResolver.resolve(current, key, body.model());
      out.header("x-portcullis-route", route.id().qualifiedName());
      List<Attempt> plan =
          router.plan(current, route, new RequestAttributes(call.headers(), body::tree));
      if (call.operation() == Operation.COUNT_TOKENS && !canForwardCountTokens(plan.getFirst())) {
        countLocally(call, body, out);
        return;
      }
      callUpstream(call, key, body, route, plan, out);
    } catch (GatewayException e) {
      sendError(call.format(), e.error(), out);
    } catch (RuntimeException e) {
      if (out.committed()) {
        LOG.log(Level.FINE, "request " + call.requestId() + " ended after its response began", e);
        return;
      }
      LOG.log(Level.WARNING, "request " + call.requestId() + " failed unexpectedly", e);
      sendError(
          call.format(),
          ApiError.of(
              ErrorKind.INTERNAL,
              "internal_error",
              "The gateway failed to process this request (request id " + call.requestId() + ")."),
          out);
    }
  }

  private GatewayState requireState() {
    GatewayState current = state.get();
    if (current == null) {
      throw new GatewayException(
          ErrorKind.UNAVAILABLE,
          "not_ready",
          "The gateway has not loaded its configuration yet; retry shortly.");
    }
    return current;
  }

  private static RequestBody parse(ClientCall call) {
    RequestSchemas.Schema schema = RequestSchemas.of(call.format(), call.operation());
    RequestBody body = RequestBody.scan(call.body(), schema.types());
    for (String field : schema.required()) {
      if (!body.has(field)) {
        throw RequestBody.badRequest("Missing required field '" + field + "'.", field);
      }
    }
    if (body.model() == null || body.model().isBlank()) {
      throw RequestBody.badRequest("Field 'model' must be a non-empty string.", "model");
    }
    return body;
  }

  /**
   * The router tries the planned targets (retries, fallback, hedging, timeouts) until one answers;
   * that answer, or the last failure, is relayed in the caller's format.
   */
  private void callUpstream(
      ClientCall call,
      KeyConfig key,
      RequestBody body,
      RouteConfig route,
      List<Attempt> plan,
      ClientResponder out) {
    RequestDeadline deadline = router.deadline(route, call.headers());
    // Rough estimate for upstream token quotas: about four bytes of request per token.
    long estimatedTokens = body.bytes().length / 4;
    Routed routed =
        router.route(
            plan,
            deadline,
            estimatedTokens,
            (attempt, timeouts) -> send(call, key, body, attempt, timeouts));
    routed.headers().forEach(out::header);
    switch (routed) {
      case Routed.Served served -> {
        try {
          relay(call, body, served, out);
        } catch (IOException e) {
          throw UpstreamFailure.io(e).toException(served.attempt());
        } finally {
          // Usage-based settlement arrives with accounting; until then 0 (unknown).
          served.finish(0);
        }
      }
      case Routed.Failed failed -> relayError(call, failed.attempt(), failed.failure(), out);
    }
  }

  private Translator translatorFor(ClientCall call, Attempt attempt) {
    Provider provider = provider(attempt);
    return translators.lookup(call.format(), provider.format()).orElse(null);
  }

  private Provider provider(Attempt attempt) {
    return providers
        .find(attempt.target().provider())
        .orElseThrow(
            () ->
                new GatewayException(
                    ErrorKind.BAD_GATEWAY,
                    "unknown_provider",
                    "Target "
                        + attempt.target().name()
                        + " uses unknown provider "
                        + attempt.target().provider()));
  }

  private UpstreamResponse send(
      ClientCall call, KeyConfig key, RequestBody body, Attempt attempt, UpstreamTimeouts timeouts)
      throws IOException {
    TargetConfig target = attempt.target();
    Provider provider = provider(attempt);
    if (!provider.supports(call.operation())) {
      throw new GatewayException(
          ErrorKind.BAD_REQUEST,
          "unsupported_operation",
          "Route "
              + attempt.route().id().qualifiedName()
              + " serves '"
              + body.model()
              + "' with provider "
              + provider.id()
              + ", which does not support "
              + call.operation().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
              + ".");
    }
    Translator translator = translators.lookup(call.format(), provider.format()).orElse(null);
    String upstreamModel = target.model() != null ? target.model() : body.model();
    byte[] upstreamBody;
    try {
      upstreamBody = upstreamBody(call.operation(), body, translator, target, upstreamModel);
    } catch (IllegalArgumentException e) {
      // The request cannot be expressed in the upstream's format (e.g. n > 1 for Anthropic).
      throw new GatewayException(
          ErrorKind.BAD_REQUEST,
          "unsupported_for_provider",
          "Route "
              + attempt.route().id().qualifiedName()
              + " serves this model with provider "
              + provider.id()
              + ", which cannot take this request: "
              + e.getMessage());
    }
    SecretValue credential = key.providerCredentials().get(provider.id());
    if (credential == null) {
      credential = target.apiKey();
    }
    UpstreamRequest request =
        provider.request(
            call.operation(), target, upstreamModel, body.stream(), credential, upstreamBody);
    UpstreamTransport transport = provider.transport().orElse(http);
    return transport.send(request, timeouts);
  }

  /**
   * Same format: only the model bytes change (and forced params, which need the tree). Other
   * formats: the translator rebuilds the body.
   */
  private static byte[] upstreamBody(
      Operation operation,
      RequestBody body,
      Translator translator,
      TargetConfig target,
      String upstreamModel) {
    boolean forced = target.params() != null && !target.params().isEmpty();
    if (translator == null && !forced) {
      return body.withModel(upstreamModel);
    }
    ObjectNode tree = body.copy();
    tree.put("model", upstreamModel);
    ObjectNode upstream = translator == null ? tree : translator.request(operation, tree);
    if (forced) {
      JsonNode params = target.params().copy();
      params.properties().forEach(e -> upstream.set(e.getKey(), e.getValue()));
    }
    return RequestBody.serialize(upstream);
  }

  private void relay(ClientCall call, RequestBody body, Routed.Served served, ClientResponder out)
      throws IOException {
    Attempt attempt = served.attempt();
    UpstreamResponse response = served.response();
    Translator translator = translatorFor(call, attempt);
    boolean eventStream = isEventStream(response);
    try (response) {
      if (!eventStream) {
        byte[] bytes;
        try {
          bytes = response.body().readAllBytes();
        } catch (IOException | RuntimeException e) {
          if (served.deadlineExpired()) {
            throw new GatewayException(
                ErrorKind.GATEWAY_TIMEOUT,
                "deadline_exceeded",
                "Target '"
                    + attempt.target().name()
                    + "' did not finish its response within the time allowed.");
          }
          throw new GatewayException(
              ErrorKind.BAD_GATEWAY,
              "upstream_unreachable",
              "The connection to target '"
                  + attempt.target().name()
                  + "' broke while reading its response.");
        }
        if (translator == null) {
          out.send(200, "application/json", bytes);
        } else {
          ObjectNode upstream = (ObjectNode) RequestBody.JSON.readTree(bytes);
          ObjectNode translated = translator.response(call.operation(), upstream, body.model());
          out.send(200, "application/json", RequestBody.serialize(translated));
        }
        return;
      }
      StreamRelay relay =
          new StreamRelay(
              out.startStream(200, "text/event-stream"), call.format(), served::deadlineExpired);
      if (translator == null) {
        relay.copyBytes(response.body());
      } else {
        relay.translateEvents(
            response.body(),
            translator.stream(call.operation(), body.model(), body.tree()),
            call.format() == WireFormat.OPENAI && !body.includeUsage());
      }
    }
  }

  private static boolean isEventStream(UpstreamResponse response) {
    String type = response.header("content-type");
    return type != null && type.startsWith("text/event-stream");
  }

  private void relayError(
      ClientCall call, Attempt attempt, UpstreamFailure failure, ClientResponder out) {
    Translator translator = translatorFor(call, attempt);
    GatewayException mapped = failure.toException(attempt);
    if (failure.passThrough()) {
      if (translator == null && failure.isJson()) {
        copyRateLimitHeaders(failure, out);
        out.send(failure.status(), "application/json", failure.body());
        return;
      }
      if (translator != null && failure.isJson()) {
        copyRateLimitHeaders(failure, out);
        ObjectNode translated = translator.error(failure.status(), failure.json());
        // Anthropic's 529 "overloaded" means 503 to everyone else.
        int status =
            failure.status() == 529 && call.format() != WireFormat.ANTHROPIC
                ? 503
                : failure.status();
        out.send(status, "application/json", RequestBody.serialize(translated));
        return;
      }
    }
    sendError(call.format(), mapped.error(), out);
  }

  private static void copyRateLimitHeaders(UpstreamFailure failure, ClientResponder out) {
    for (Map.Entry<String, String> h : failure.headers().entrySet()) {
      if (h.getKey().equals("retry-after")
          || h.getKey().equals("retry-after-ms")
          || h.getKey().startsWith("x-ratelimit-")) {
        out.header(h.getKey(), h.getValue());
      }
    }
  }

  private boolean canForwardCountTokens(Attempt attempt) {
    return providers
        .find(attempt.target().provider())
        .map(p -> p.supports(Operation.COUNT_TOKENS))
        .orElse(false);
  }

  private void countLocally(ClientCall call, RequestBody body, ClientResponder out) {
    int tokens = tokenCounter.countAnthropicRequest(body.tree());
    ObjectNode result = RequestBody.JSON.createObjectNode().put("input_tokens", tokens);
    out.send(200, "application/json", RequestBody.serialize(result));
  }

  static void sendError(WireFormat format, ApiError error, ClientResponder out) {
    out.send(
        error.status(),
        "application/json",
        RequestBody.serialize(ErrorBodies.render(format, error)));
  }
}
