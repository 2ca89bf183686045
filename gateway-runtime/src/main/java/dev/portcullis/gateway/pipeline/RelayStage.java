package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.Endpoints;
import dev.portcullis.gateway.endpoint.UsageExtractors;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.pipeline.ResponseObserver.Outcome;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.routing.Attempt;
import dev.portcullis.gateway.routing.Routed;
import dev.portcullis.gateway.routing.UpstreamFailure;
import dev.portcullis.gateway.sse.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers the client in its own format with what the upstream stage got: a whole body copied or
 * translated, an event stream copied byte for byte or translated event by event, or the upstream's
 * error. Whatever the shape, the answer goes out through the {@link RequestContext}, so the
 * registered {@link ResponseObserver}s see it in the client's format and hear of its end, once,
 * with the usage the upstream reported.
 */
final class RelayStage implements Stage {
  /**
   * The largest whole (not streamed) upstream answer the gateway holds in memory; beyond it the
   * client gets a 502. Streams are relayed event by event and are not bounded by it.
   */
  static final long MAX_UPSTREAM_BODY_BYTES = 32L * 1024 * 1024;

  private final UpstreamProviders providers;
  private final long maxUpstreamBodyBytes;

  RelayStage(UpstreamProviders providers) {
    this(providers, MAX_UPSTREAM_BODY_BYTES);
  }

  RelayStage(UpstreamProviders providers, long maxUpstreamBodyBytes) {
    this.providers = providers;
    this.maxUpstreamBodyBytes = maxUpstreamBodyBytes;
  }

  @Override
  public Flow apply(RequestContext request) {
    switch (request.routed()) {
      case Routed.Served served -> {
        try {
          relay(request, served);
        } catch (IOException e) {
          throw UpstreamFailure.io(e).toException(served.attempt());
        } finally {
          served.finish(request.chargedTokens());
        }
      }
      case Routed.Failed failed -> relayError(request, failed.attempt(), failed.failure());
    }
    return Flow.ANSWERED;
  }

  private void relay(RequestContext request, Routed.Served served) throws IOException {
    ClientCall call = request.call();
    RequestBody body = request.body();
    Attempt attempt = served.attempt();
    UpstreamResponse response = served.response();
    AttemptResponse.relayed(response, request.responseModel());
    Translator translator = providers.translator(call, attempt);
    WireFormat upstreamFormat = providers.upstreamFormat(call, attempt);
    try (response) {
      if (!isEventStream(response)) {
        relayBody(request, served, translator, upstreamFormat);
        return;
      }
      // Copied events are decoded for the observers only when one of them looks at events; the
      // first few also for the model the upstream names (telemetry).
      UsageSniffer usage =
          new UsageSniffer(
              upstreamFormat,
              request.observesStreamEvents() ? request::streamed : null,
              request.responseModel());
      StreamRelay.StreamObserver observer =
          new StreamRelay.StreamObserver() {
            @Override
            public void upstreamBytes(byte[] bytes, int length) {
              request.bodyBegan();
              usage.accept(bytes, length); // hands the copied events on to the observers
            }

            @Override
            public SseEvent upstreamEvent(byte[] bytes, int offset, int length) {
              return usage.acceptEvent(bytes, offset, length);
            }

            @Override
            public void eventsSent(List<SseEvent> decoded) {
              request.bodyBegan();
              for (SseEvent event : decoded) {
                usage.handOn(event); // to the observers, when one of them looks at events
              }
            }

            @Override
            public void upstreamEvent(SseEvent event) {
              request.responseModel().event(event);
              usage.accept(event);
            }

            @Override
            public void clientEvent(SseEvent event) {
              request.streamed(event);
            }

            @Override
            public List<String> completed() {
              usage.finish();
              if (request.guardrails() != null && request.guardrails().hasOutputChecks()) {
                InputGuardrailStage.report(request, request.guardrails());
                String verdicts = request.guardrails().verdictHeader();
                if (verdicts != null) {
                  request.trailer(InputGuardrailStage.HEADER, verdicts); // final SSE comment
                }
              }
              return request.completeStream(usage.usage());
            }
          };
      StreamRelay relay =
          new StreamRelay(
              request.startStream(), call.endpoint().family(), observer, served::deadlineExpired);
      try {
        boolean guarded = request.guardrails() != null && request.guardrails().hasOutputChecks();
        if (guarded) {
          // Output guardrails: events are parsed (also when copied) so text deltas can be held
          // back or the stream ended with the refusal signal.
          StreamTranslator inner =
              translator == null
                  ? StreamRelay.PASS_THROUGH
                  : translator.stream(call.operation(), body.model(), body.tree());
          relay.translateEvents(
              response.body(),
              new StreamGuardrails(inner, request.guardrails(), call.format(), call.operation()),
              translator == null
                  ? call.endpoint().asksStreamUsage(body)
                  : call.endpoint().dropsUsageEvents(body));
        } else if (translator == null && !call.endpoint().asksStreamUsage(body)) {
          relay.copyBytes(response.body());
        } else if (translator == null) {
          // The gateway asked for usage the client did not: its chunk is dropped on the way, the
          // other events pass as the bytes they came as.
          relay.copyEvents(response.body());
        } else {
          relay.translateEvents(
              response.body(),
              translator.stream(call.operation(), body.model(), body.tree()),
              call.endpoint().dropsUsageEvents(body));
        }
      } finally {
        // A stream cut short ends with what was seen; after a normal end this does nothing.
        usage.finish();
        request.complete(usage.usage(), Outcome.CUT_SHORT);
      }
    }
  }

  private void relayBody(
      RequestContext request,
      Routed.Served served,
      Translator translator,
      WireFormat upstreamFormat)
      throws IOException {
    Attempt attempt = served.attempt();
    byte[] bytes;
    try {
      bytes = readBody(served.response(), attempt);
    } catch (GatewayException e) {
      throw e;
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
      // Passed through as it came: only the usage (and the model) is read, without the tree.
      request.responseModel().body(bytes);
      request.sendAnswer(bytes, UsageExtractors.scan(upstreamFormat, bytes));
      return;
    }
    ObjectNode upstream = jsonObject(bytes);
    if (upstream == null) {
      throw new GatewayException(
          ErrorKind.BAD_GATEWAY,
          "upstream_invalid_response",
          "Target '" + attempt.target().name() + "' answered with a body that is not JSON.");
    }
    request.responseModel().body(upstream);
    Optional<Usage> usage = Endpoints.family(upstreamFormat).usage(upstream);
    ObjectNode translated;
    try {
      translated =
          translator.response(request.call().operation(), upstream, request.body().model());
    } catch (RuntimeException e) {
      // The upstream answered, and used its tokens, though the client gets an error instead.
      request.complete(usage, Outcome.FAILED);
      throw e;
    }
    request.sendAnswer(RequestBody.serialize(translated), usage);
  }

  /**
   * The whole body. With a Content-Length it is read into one array of that size (the default
   * read-all grows 16 KB chunks and copies them).
   */
  private byte[] readBody(UpstreamResponse response, Attempt attempt) throws IOException {
    long length = contentLength(response.header("content-length"));
    InputStream in = response.body();
    if (length > maxUpstreamBodyBytes) {
      in.close();
      throw tooLarge(attempt);
    }
    if (length >= 0) {
      byte[] bytes = in.readNBytes((int) length);
      if (bytes.length == length && in.read() == -1) {
        return bytes; // the end seen, so the connection goes back to the pool
      }
      throw new IOException("the response body did not match its Content-Length");
    }
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUpstreamBodyBytes + 1));
    if (bytes.length > maxUpstreamBodyBytes) {
      in.close();
      throw tooLarge(attempt);
    }
    return bytes;
  }

  private GatewayException tooLarge(Attempt attempt) {
    return new GatewayException(
        ErrorKind.BAD_GATEWAY,
        "upstream_response_too_large",
        "Target '"
            + attempt.target().name()
            + "' answered with a body larger than the gateway's limit of "
            + maxUpstreamBodyBytes
            + " bytes; ask for less (max_tokens, n) or stream the answer.");
  }

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

  private void relayError(RequestContext request, Attempt attempt, UpstreamFailure failure) {
    ClientCall call = request.call();
    Translator translator = providers.translator(call, attempt);
    GatewayException mapped = failure.toException(attempt);
    if (failure.passThrough() && failure.isJson()) {
      copyRateLimitHeaders(failure, request);
      if (translator == null) {
        request.sendError(failure.status(), mapped.error().code(), failure.body());
        return;
      }
      ObjectNode translated = translator.error(failure.status(), failure.json());
      // Anthropic's 529 "overloaded" means 503 to everyone else.
      int status =
          failure.status() == 529 && call.format() != WireFormat.ANTHROPIC ? 503 : failure.status();
      request.sendError(status, mapped.error().code(), RequestBody.serialize(translated));
      return;
    }
    request.sendError(mapped.error());
  }

  private static void copyRateLimitHeaders(UpstreamFailure failure, RequestContext request) {
    for (Map.Entry<String, String> h : failure.headers().entrySet()) {
      if (h.getKey().equals("retry-after")
          || h.getKey().equals("retry-after-ms")
          || h.getKey().startsWith("x-ratelimit-")) {
        request.header(h.getKey(), h.getValue());
      }
    }
  }
}
