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
import dev.portcullis.gateway.limits.LimitPolicy;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Provider;
import dev.portcullis.gateway.provider.ProviderRegistry;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.TranslatorRegistry;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.provider.UpstreamTimeouts;
import dev.portcullis.gateway.provider.UpstreamTransport;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.UsageExtractors;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.routing.Attempt;
import dev.portcullis.gateway.routing.RequestAttributes;
import dev.portcullis.gateway.routing.RequestDeadline;
import dev.portcullis.gateway.routing.Routed;
import dev.portcullis.gateway.routing.Router;
import dev.portcullis.gateway.routing.UpstreamFailure;
import dev.portcullis.gateway.sse.SseEvent;
import dev.portcullis.gateway.state.Authenticator;
import dev.portcullis.gateway.state.GatewayState;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The path of one proxied request, top to bottom: authenticate → parse → route → plan targets →
 * call upstream (failing over before the first byte) → relay the answer in the caller's format.
 * Stages still to come (prompt templates, guardrails, cache) slot in between as their own types.
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
  private final AdmissionControl admissions;

  public ProxyPipeline(
      Supplier<GatewayState> state,
      Authenticator authenticator,
      ProviderRegistry providers,
      TranslatorRegistry translators,
      UpstreamTransport http,
      AdmissionControl admissions,
      Router router) {
    this.state = state;
    this.authenticator = authenticator;
    this.providers = providers;
    this.translators = translators;
    this.http = http;
    this.router = router;
    this.tokenCounter = new LocalTokenCounter();
    this.admissions = admissions;
  }

  /** Serves one call; every failure is answered in the caller's format. */
  public void handle(ClientCall call, ClientResponder out) {
    out.header("x-request-id", call.requestId());
    // Overwritten once a target serves; refusals and errors cost nothing.
    out.header("x-portcullis-cost-usd", "0");
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
      // Limits and budget: reserved here, settled in relay(), released if no target served.
      try (Admission admission = admissions.admit(call, key, body, route, plan, out)) {
        callUpstream(call, key, body, route, plan, out, admission);
      }
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
      ClientResponder out,
      Admission admission) {
    RequestDeadline deadline = router.deadline(route, call.headers());
    Routed routed =
        router.route(
            plan,
            deadline,
            anyTargetLimitsTokens(plan) ? admission.estimatedTokens() : 0,
            (attempt, timeouts) -> send(call, key, body, attempt, timeouts));
    routed.headers().forEach(out::header);
    switch (routed) {
      case Routed.Served served -> {
        try {
          relay(call, body, served, out, admission);
        } catch (IOException e) {
          throw UpstreamFailure.io(e).toException(served.attempt());
        } finally {
          served.finish(admission.settledTokens());
        }
      }
      case Routed.Failed failed -> relayError(call, failed.attempt(), failed.failure(), out);
    }
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
    boolean askUsage = StreamUsage.mustAsk(call, body, translator);
    byte[] upstreamBody;
    try {
      upstreamBody =
          upstreamBody(call.operation(), body, translator, target, upstreamModel, askUsage);
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
      String upstreamModel,
      boolean askUsage) {
    boolean forced = target.params() != null && !target.params().isEmpty();
    if (translator == null && !forced && !askUsage) {
      return body.withModel(upstreamModel);
    }
    ObjectNode tree = body.copy();
    tree.put("model", upstreamModel);
    if (askUsage) {
      StreamUsage.ask(tree);
    }
    ObjectNode upstream = translator == null ? tree : translator.request(operation, tree);
    if (forced) {
      JsonNode params = target.params().copy();
      params.properties().forEach(e -> upstream.set(e.getKey(), e.getValue()));
    }
    return RequestBody.serialize(upstream);
  }

  private void relay(
      ClientCall call,
      RequestBody body,
      Routed.Served served,
      ClientResponder out,
      Admission admission)
      throws IOException {
    Attempt attempt = served.attempt();
    UpstreamResponse response = served.response();
    Translator translator = translatorFor(call, attempt);
    WireFormat upstreamFormat = provider(attempt).format();
    boolean eventStream = isEventStream(response);
    try (response) {
      if (!eventStream) {
        byte[] bytes;
        try {
          bytes = readBody(response);
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
          // Passed through as it came: only the usage is read, without building the tree.
          Optional<Usage> usage = UsageExtractors.scan(upstreamFormat, bytes);
          out.header("x-portcullis-cost-usd", admission.settle(attempt, body, usage));
          out.send(200, "application/json", bytes);
          return;
        }
        ObjectNode upstream = jsonObject(bytes);
        if (upstream == null) {
          throw new GatewayException(
              ErrorKind.BAD_GATEWAY,
              "upstream_invalid_response",
              "Target '" + attempt.target().name() + "' answered with a body that is not JSON.");
        }
        Optional<Usage> usage = UsageExtractors.forFormat(upstreamFormat, upstream);
        out.header("x-portcullis-cost-usd", admission.settle(attempt, body, usage));
        ObjectNode translated = translator.response(call.operation(), upstream, body.model());
        out.send(200, "application/json", RequestBody.serialize(translated));
        return;
      }
      // Headers leave before the usage is known: a stream carries the estimate, and the real
      // cost follows as a final SSE comment.
      out.header("x-portcullis-cost-usd", admission.estimatedCostUsd(attempt, body));
      UsageSniffer usage = new UsageSniffer(upstreamFormat);
      StreamRelay.StreamObserver accounting =
          new StreamRelay.StreamObserver() {
            @Override
            public void upstreamBytes(byte[] bytes, int length) {
              usage.accept(bytes, length);
            }

            @Override
            public void upstreamEvent(SseEvent event) {
              usage.accept(event);
            }

            @Override
            public String completed() {
              usage.finish();
              String cost = admission.settle(attempt, body, usage.usage());
              return cost == null ? null : "x-portcullis-cost-usd=" + cost;
            }
          };
      StreamRelay relay =
          new StreamRelay(
              out.startStream(200, "text/event-stream"),
              call.format(),
              accounting,
              served::deadlineExpired);
      try {
        if (translator == null && !StreamUsage.mustAsk(call, body, null)) {
          relay.copyBytes(response.body());
        } else if (translator == null) {
          // The gateway asked for usage the client did not: its chunk is dropped on the way.
          relay.translateEvents(response.body(), StreamRelay.PASS_THROUGH, true);
        } else {
          relay.translateEvents(
              response.body(),
              translator.stream(call.operation(), body.model(), body.tree()),
              call.format() == WireFormat.OPENAI && !body.includeUsage());
        }
      } finally {
        // A stream cut short settles with what was seen (or the estimate).
        usage.finish();
        admission.settle(attempt, body, usage.usage());
      }
    }
  }

  /**
   * The whole body. With a Content-Length it is read into one array of that size (the default
   * read-all grows 16 KB chunks and copies them).
   */
  private static byte[] readBody(UpstreamResponse response) throws IOException {
    long length = contentLength(response.header("content-length"));
    if (length >= 0 && length <= MAX_EXACT_READ) {
      InputStream in = response.body();
      byte[] bytes = in.readNBytes((int) length);
      if (bytes.length == length && in.read() == -1) {
        return bytes; // the end seen, so the connection goes back to the pool
      }
      throw new IOException("the response body did not match its Content-Length");
    }
    return response.body().readAllBytes();
  }

  private static final int MAX_EXACT_READ = 64 * 1024 * 1024;

  private static long contentLength(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static ObjectNode jsonObject(byte[] bytes) {
    try {
      return RequestBody.JSON.readTree(bytes) instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
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
