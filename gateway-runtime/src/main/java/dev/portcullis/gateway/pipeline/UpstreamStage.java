package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.endpoint.Endpoint;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.limits.LimitPolicy;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Provider;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.provider.UpstreamTimeouts;
import dev.portcullis.gateway.provider.UpstreamTransport;
import dev.portcullis.gateway.routing.Attempt;
import dev.portcullis.gateway.routing.RequestDeadline;
import dev.portcullis.gateway.routing.Routed;
import dev.portcullis.gateway.routing.Router;
import dev.portcullis.gateway.telemetry.AttemptSpan;
import dev.portcullis.gateway.telemetry.Telemetry;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calls the upstream: the router tries the planned targets (retries, fallback, hedging, timeouts)
 * until one answers, each attempt with the body in that target's format. What it made of the
 * request, an answer to relay or the failure to show, goes into the context for the relay.
 */
final class UpstreamStage implements Stage {
  private final Router router;
  private final UpstreamProviders providers;
  private final UpstreamTransport http;
  private final Telemetry telemetry;

  UpstreamStage(Router router, UpstreamProviders providers, UpstreamTransport http) {
    this(router, providers, http, Telemetry.disabled());
  }

  UpstreamStage(
      Router router, UpstreamProviders providers, UpstreamTransport http, Telemetry telemetry) {
    this.router = router;
    this.providers = providers;
    this.http = http;
    this.telemetry = telemetry;
  }

  @Override
  public Flow apply(RequestContext request) {
    List<Attempt> plan = request.plan();
    RequestDeadline deadline = router.deadline(request.route(), request.call().headers());
    Admission admission = request.admission();
    Routed routed =
        router.route(
            plan,
            deadline,
            admission != null && anyTargetLimitsTokens(plan) ? admission.estimatedTokens() : 0,
            (attempt, timeouts) -> send(request, attempt, timeouts));
    request.routed(routed);
    routed.headers().forEach(request::header);
    return Flow.CONTINUE;
  }

  /** Counting prompt tokens costs CPU (and the tokenizer's memory): only a token quota needs it. */
  private static boolean anyTargetLimitsTokens(List<Attempt> plan) {
    for (Attempt a : plan) {
      if (LimitPolicy.of(a.target().limits()).limitsTokens()) {
        return true;
      }
    }
    return false;
  }

  private UpstreamResponse send(RequestContext request, Attempt attempt, UpstreamTimeouts timeouts)
      throws IOException {
    ClientCall call = request.call();
    RequestBody body = request.body();
    KeyConfig key = request.key();
    TargetConfig target = attempt.target();
    Provider provider = providers.provider(attempt);
    Translator translator = providers.translator(call, provider);
    Operation operation =
        translator == null ? call.operation() : translator.upstreamOperation(call.operation());
    if (!provider.supports(operation)) {
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
              + call.operation().name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + ".");
    }
    String upstreamModel = target.model() != null ? target.model() : body.model();
    boolean askUsage = translator == null && call.endpoint().asksStreamUsage(body);
    byte[] upstreamBody;
    try {
      upstreamBody =
          upstreamBody(call.endpoint(), body, translator, target, upstreamModel, askUsage);
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
    UpstreamRequest upstream =
        ProviderHeaders.passThrough(
            provider.id(),
            call.headers(),
            provider.request(
                operation, target, upstreamModel, body.stream(), credential, upstreamBody));
    UpstreamTransport transport = provider.transport().orElse(http);
    // Hedged attempts run on their own threads: each has its own span, none writes the record.
    AttemptSpan span = telemetry.startAttempt(request.record(), target, upstreamModel);
    UpstreamResponse response;
    try {
      response = transport.send(withTraceparent(upstream, span.traceparent()), timeouts);
    } catch (IOException | RuntimeException e) {
      telemetry.endAttempt(span, 0, attemptErrorType(e), null);
      throw e;
    }
    // The span ends when the answer is closed: after the relay read it (and its model).
    return AttemptResponse.of(response, telemetry, span);
  }

  /**
   * The upstream request with the trace context to continue: the attempt's span when tracing is on,
   * else the caller's {@code traceparent} unchanged; replaces one the provider may have set.
   */
  private static UpstreamRequest withTraceparent(UpstreamRequest upstream, String traceparent) {
    if (traceparent == null) {
      return upstream;
    }
    Map<String, String> headers = new HashMap<>(upstream.headers());
    headers.put("traceparent", traceparent);
    return new UpstreamRequest(
        upstream.method(), upstream.uri(), headers, upstream.body(), upstream.stream());
  }

  /** A failed attempt's {@code error.type}, from a fixed vocabulary. */
  private static String attemptErrorType(Exception e) {
    if (e instanceof HttpTimeoutException) {
      return "timeout";
    }
    if (e instanceof IOException) {
      return "connection_error";
    }
    return "internal_error";
  }

  /**
   * Same format: only the model bytes change (and forced params, which need the tree). Other
   * formats: the translator rebuilds the body.
   */
  private static byte[] upstreamBody(
      Endpoint endpoint,
      RequestBody body,
      Translator translator,
      TargetConfig target,
      String upstreamModel,
      boolean askUsage) {
    boolean forced = target.params() != null && !target.params().isEmpty();
    if (translator == null && !forced && !askUsage) {
      return body.withModel(upstreamModel);
    }
    ObjectNode tree = body.copy();
    tree.put("model", upstreamModel);
    if (askUsage) {
      // The upstream reports a stream's usage only when asked; the limits need it.
      endpoint.askStreamUsage(tree);
    }
    ObjectNode upstream =
        translator == null ? tree : translator.request(endpoint.operation(), tree);
    if (forced) {
      JsonNode params = target.params().copy();
      params.properties().forEach(e -> upstream.set(e.getKey(), e.getValue()));
    }
    return RequestBody.serialize(upstream);
  }
}
