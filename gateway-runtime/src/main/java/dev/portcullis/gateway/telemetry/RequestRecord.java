package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.limits.Decision;
import dev.portcullis.gateway.provider.WireFormat;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything worth knowing about one request, filled in by the pipeline's stages as they run and
 * read once by {@link Telemetry#finish}: the metrics, the access-log line and the span attributes
 * are all derived from it, so the three never disagree.
 *
 * <p>Not thread-safe by design: the stages of one request write it one after another, and {@code
 * finish} reads it after the last of them (a stream relay that ends on another thread hands it over
 * with the response). Upstream attempts that run in parallel (hedges) report through their own
 * {@link AttemptSpan}, never through this record.
 *
 * <p>Route, key and target are the configuration's own objects, never names a client sent, which is
 * what keeps metric labels bounded. The record never holds a key or a credential: {@link KeyConfig}
 * carries only hashes, and nothing here is read from a request header but the trace context.
 */
public final class RequestRecord {
  private final String requestId;
  private final long startNanos;
  private final long startEpochMillis;
  private final String callerTraceparent;
  final Span serverSpan;

  private WireFormat clientFormat;
  private GenAiOperation operation;
  private KeyConfig key;
  private RouteConfig route;
  private String requestModel;
  private TargetConfig target;
  private List<String> targetsTried = List.of();
  private String responseModel;
  private int attempts;
  private int hedges;
  private int status;
  private String errorType;
  private long firstTokenNanos;
  private long endNanos;
  private long inputTokens;
  private long outputTokens;
  private long cachedInputTokens;
  private long costNanos;
  private String cacheStatus;
  private long cacheSavedNanos;
  private long cacheSavedInputTokens;
  private long cacheSavedOutputTokens;
  private List<String> guardrailVerdicts = List.of();
  private String promptTemplate;
  private String promptVersion;
  private boolean streamed;
  private Decision.Refusal limitRefusal = Decision.Refusal.NONE;
  private String requestBody;
  private String responseBody;
  private boolean finished;

  RequestRecord(
      String requestId,
      long startNanos,
      long startEpochMillis,
      String callerTraceparent,
      Span serverSpan) {
    this.requestId = requestId;
    this.startNanos = startNanos;
    this.startEpochMillis = startEpochMillis;
    this.callerTraceparent = callerTraceparent;
    this.serverSpan = serverSpan;
  }

  // ---- written by the stages ----

  /** Parse stage: the caller's wire format and what it asks for. */
  public void call(WireFormat format, GenAiOperation op, boolean stream) {
    this.clientFormat = format;
    this.operation = op;
    this.streamed = stream;
  }

  /** Auth stage: the authenticated VirtualKey. */
  public void key(KeyConfig authenticated) {
    this.key = authenticated;
  }

  /**
   * Route stage: the resolved route and the model name the client sent (a label only when it is the
   * route's model or one of its aliases).
   */
  public void route(RouteConfig resolved, String requestedModel) {
    this.route = resolved;
    this.requestModel = requestedModel;
  }

  /** Prompt stage: the template rendered and the version served. */
  public void prompt(String template, String version) {
    this.promptTemplate = template;
    this.promptVersion = version;
  }

  /** Input or output guardrail stage: one verdict as in {@code x-portcullis-guardrails}. */
  public void guardrailVerdict(String verdict) {
    if (guardrailVerdicts.isEmpty()) {
      guardrailVerdicts = new ArrayList<>(2);
    }
    guardrailVerdicts.add(verdict);
  }

  /** Limits stage: the key's limit or budget that refused the request. */
  public void limitRefusal(Decision.Refusal refusal) {
    this.limitRefusal = refusal == null ? Decision.Refusal.NONE : refusal;
  }

  /**
   * Cache stage: {@code HIT}, {@code SEMANTIC_HIT}, {@code MISS}, {@code BYPASS} or {@code REFRESH}
   * as in {@code x-portcullis-cache}; on a hit, what the answer would have cost.
   */
  public void cache(String status, long savedNanoUsd) {
    this.cacheStatus = status;
    this.cacheSavedNanos = savedNanoUsd;
  }

  /** Cache stage, on a hit: the tokens the stored answer used when the upstream gave it. */
  public void cacheSavedTokens(long input, long output) {
    this.cacheSavedInputTokens = input;
    this.cacheSavedOutputTokens = output;
  }

  /**
   * Strategy stage, once the router is done: the target whose answer the client gets (or the last
   * one that failed), the upstream requests sent (retries and hedges included) and the target names
   * in the order first tried (as in {@code Routed}).
   */
  public void routed(TargetConfig served, int attemptCount, List<String> path) {
    this.target = served;
    this.attempts = attemptCount;
    this.targetsTried = path == null ? List.of() : path;
  }

  /** Strategy stage: targets started because an earlier one was slow (hedging), not failing. */
  public void hedges(int count) {
    this.hedges = count;
  }

  /** Relay stage: the first byte (non-streamed) or first token (streamed) reached the caller. */
  public void firstToken(long nanoTime) {
    if (firstTokenNanos == 0) {
      firstTokenNanos = nanoTime;
    }
  }

  /** Relay stage: the model the upstream says answered. */
  public void responseModel(String model) {
    this.responseModel = model;
  }

  /** Accounting stage: tokens used, cached input included in {@code input}. */
  public void usage(long input, long output, long cachedInput) {
    this.inputTokens = input;
    this.outputTokens = output;
    this.cachedInputTokens = cachedInput;
  }

  /** Accounting stage: what the request cost, in nano-USD. */
  public void cost(long nanoUsd) {
    this.costNanos = nanoUsd;
  }

  /**
   * Respond stage (or wherever an error is answered): the status the caller got and, when it is a
   * failure, a short error type from a fixed vocabulary (e.g. the error code, {@code timeout}).
   */
  public void outcome(int httpStatus, String error) {
    this.status = httpStatus;
    this.errorType = error;
  }

  /**
   * Bodies for the access log, after guardrail redaction. Logged only when the route has {@code
   * logging.bodies: true}; otherwise never written out.
   */
  public void bodies(String request, String response) {
    this.requestBody = request;
    this.responseBody = response;
  }

  /** Whether this is the first finish (a record is counted once, however often it is finished). */
  boolean markFinished() {
    if (finished) {
      return false;
    }
    finished = true;
    return true;
  }

  void end(long nanoTime) {
    if (endNanos == 0) {
      endNanos = nanoTime;
    }
  }

  // ---- read at completion ----

  public String requestId() {
    return requestId;
  }

  public long startNanos() {
    return startNanos;
  }

  public long startEpochMillis() {
    return startEpochMillis;
  }

  /** The caller's {@code traceparent} header as received, or null. */
  public String callerTraceparent() {
    return callerTraceparent;
  }

  /**
   * The trace this request belongs to: the server span's when tracing is on, else the caller's
   * (taken from its {@code traceparent}), else null.
   */
  public String traceId() {
    if (serverSpan != null && serverSpan.getSpanContext().isValid()) {
      return serverSpan.getSpanContext().getTraceId();
    }
    return TraceContext.traceIdOf(callerTraceparent);
  }

  public WireFormat clientFormat() {
    return clientFormat;
  }

  public GenAiOperation operation() {
    return operation;
  }

  public KeyConfig key() {
    return key;
  }

  public RouteConfig route() {
    return route;
  }

  public String requestModel() {
    return requestModel;
  }

  public TargetConfig target() {
    return target;
  }

  public List<String> targetsTried() {
    return targetsTried;
  }

  public String responseModel() {
    return responseModel;
  }

  public int attempts() {
    return attempts;
  }

  /** Attempts beyond the first at each target tried. */
  public int retries() {
    return Math.max(0, attempts - Math.max(1, targetsTried.size()));
  }

  /** Targets tried because an earlier one failed: every target after the first, hedges aside. */
  public int fallbacks() {
    return Math.max(0, targetsTried.size() - 1 - hedges);
  }

  public int hedges() {
    return hedges;
  }

  public int status() {
    return status;
  }

  public String errorType() {
    return errorType;
  }

  /** Whether the caller got an answer (a status below 400). */
  public boolean succeeded() {
    return status > 0 && status < 400;
  }

  /** Nanoseconds from the start to the first byte or token, or -1 when none reached the caller. */
  public long timeToFirstTokenNanos() {
    return firstTokenNanos == 0 ? -1 : Math.max(0, firstTokenNanos - startNanos);
  }

  /** Nanoseconds from the start to completion; 0 before {@link Telemetry#finish}. */
  public long durationNanos() {
    return endNanos == 0 ? 0 : Math.max(0, endNanos - startNanos);
  }

  long firstTokenNanos() {
    return firstTokenNanos;
  }

  long endNanos() {
    return endNanos;
  }

  public long inputTokens() {
    return inputTokens;
  }

  public long outputTokens() {
    return outputTokens;
  }

  public long cachedInputTokens() {
    return cachedInputTokens;
  }

  public long costNanos() {
    return costNanos;
  }

  public String cacheStatus() {
    return cacheStatus;
  }

  public long cacheSavedNanos() {
    return cacheSavedNanos;
  }

  public long cacheSavedInputTokens() {
    return cacheSavedInputTokens;
  }

  public long cacheSavedOutputTokens() {
    return cacheSavedOutputTokens;
  }

  public List<String> guardrailVerdicts() {
    return guardrailVerdicts;
  }

  public String promptTemplate() {
    return promptTemplate;
  }

  public String promptVersion() {
    return promptVersion;
  }

  public boolean streamed() {
    return streamed;
  }

  public Decision.Refusal limitRefusal() {
    return limitRefusal;
  }

  public String requestBody() {
    return requestBody;
  }

  public String responseBody() {
    return responseBody;
  }

  @Override
  public String toString() {
    return "RequestRecord[" + requestId + ", status " + status + "]";
  }
}
