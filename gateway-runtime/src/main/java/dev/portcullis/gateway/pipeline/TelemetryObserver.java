package dev.portcullis.gateway.pipeline;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.gateway.pipeline.ResponseObserver.Outcome;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.routing.Routed;
import dev.portcullis.gateway.sse.SseEvent;
import dev.portcullis.gateway.telemetry.GenAiOperation;
import dev.portcullis.gateway.telemetry.RequestRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Fills a request's telemetry record from its {@link RequestContext}, so that no stage needs a
 * telemetry call of its own: what the stages learnt (key, route, routed target, prompt version,
 * cache status, guardrail verdicts, limit refusal) and how the request ended (status, error code,
 * usage, cost, timings) are all in the context by the time the pipeline is done.
 *
 * <p>It is registered as the first observer, but it copies the context into the record only in
 * {@link #fill}, which the pipeline calls after every observer heard of the end: accounting (an
 * observer registered later) sets the cost in its own {@code onComplete}, and the first byte of a
 * whole body leaves after the observers ran. As an observer it only keeps the answer's body, and
 * only for routes with {@code logging.bodies: true}.
 */
final class TelemetryObserver implements ResponseObserver {
  /** A logged stream's text stops here: the access log is not a transcript store. */
  static final int MAX_LOGGED_STREAM_CHARS = 64 * 1024;

  private final RequestContext request;
  private String responseBody;
  private StringBuilder streamText;

  TelemetryObserver(RequestContext request) {
    this.request = request;
  }

  @Override
  public void onBody(byte[] body) {
    if (logsBodies(request.route())) {
      responseBody = new String(body, StandardCharsets.UTF_8);
    }
  }

  @Override
  public boolean observesStreamEvents() {
    return logsBodies(request.route());
  }

  @Override
  public void onStreamEvent(SseEvent event) {
    if (!logsBodies(request.route())) {
      return;
    }
    if (streamText == null) {
      streamText = new StringBuilder(1024);
    }
    if (streamText.length() < MAX_LOGGED_STREAM_CHARS) {
      // The events as the client got them, one data line each (the event names add nothing).
      streamText.append(event.data()).append('\n');
    }
  }

  @Override
  public void onComplete(Optional<Usage> usage, Outcome outcome) {
    if (streamText != null) {
      responseBody = streamText.toString();
      streamText = null;
    }
  }

  /** Copies what the request's context learnt into its record; the record is then finished. */
  void fill() {
    RequestRecord record = request.record();
    ClientCall call = request.call();
    RequestBody body = request.body();
    record.call(call.format(), GenAiOperation.of(call.operation()), body != null && body.stream());
    record.key(request.key());
    RouteConfig route = request.route();
    if (route != null) {
      record.route(route, body == null ? null : body.model());
    }
    if (request.promptVersion() != null) {
      // The template rendered, not the route's default: a prompt request names its own.
      record.prompt(request.promptTemplate(), request.promptVersion());
    }
    Routed routed = request.routed();
    if (routed != null) {
      record.routed(routed.attempt().target(), routed.attempts(), routed.path());
      record.hedges(routed.hedges());
    }
    record.limitRefusal(request.limitRefusal());
    String cache = cacheStatus(request.cacheStatus());
    if (cache != null) {
      record.cache(cache, request.cacheSavedNanos());
      record.cacheSavedTokens(request.cacheSavedInputTokens(), request.cacheSavedOutputTokens());
    }
    List<String> verdicts = request.guardrailVerdicts();
    for (int i = 0; i < verdicts.size(); i++) {
      record.guardrailVerdict(verdicts.get(i));
    }
    if (request.firstByteNanos() >= 0) {
      record.firstToken(request.firstByteNanos());
    }
    Optional<Usage> usage = request.reportedUsage();
    if (usage.isPresent()) {
      Usage u = usage.get();
      record.usage(u.inputTokens(), u.outputTokens(), u.cachedInputTokens());
    }
    record.cost(request.costNanos());
    String responseModel = request.responseModel().model();
    if (responseModel != null) {
      record.responseModel(responseModel);
    }
    record.outcome(request.status(), errorType(request));
    if (route != null && route.logBodies()) {
      // The request as the upstream got it: after the stages that rewrite it (redaction).
      record.bodies(
          body == null ? null : new String(body.bytes(), StandardCharsets.UTF_8), responseBody);
    }
  }

  /**
   * The record's error type: the gateway's error code for an error answered, {@code cut_short} for
   * a stream that stopped early, none for an answer.
   */
  private static String errorType(RequestContext request) {
    if (request.errorCode() != null) {
      return request.errorCode();
    }
    if (request.outcome() == Outcome.CUT_SHORT) {
      return "cut_short";
    }
    return null;
  }

  /** The context's {@code hit}/{@code miss}/... in the record's vocabulary (as the header says). */
  private static String cacheStatus(String status) {
    if (status == null) {
      return null;
    }
    return switch (status) {
      case "hit", "HIT" -> "HIT";
      case "semantic_hit", "SEMANTIC_HIT" -> "SEMANTIC_HIT";
      case "miss", "MISS" -> "MISS";
      case "bypass", "BYPASS" -> "BYPASS";
      case "refresh", "REFRESH" -> "REFRESH";
      default -> "OTHER";
    };
  }

  private static boolean logsBodies(RouteConfig route) {
    return route != null && route.logBodies();
  }
}
