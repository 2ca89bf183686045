package dev.portcullis.gateway.pipeline;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.gateway.guardrail.RequestGuardrails;
import dev.portcullis.gateway.http.ApiError;
import dev.portcullis.gateway.limits.Decision;
import dev.portcullis.gateway.pipeline.ResponseObserver.Outcome;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.routing.Attempt;
import dev.portcullis.gateway.routing.Routed;
import dev.portcullis.gateway.sse.SseEvent;
import dev.portcullis.gateway.state.GatewayState;
import dev.portcullis.gateway.telemetry.RequestRecord;
import dev.portcullis.gateway.telemetry.Telemetry;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything one request's stages learn, in one place: made when the call arrives, filled stage by
 * stage, read by the response's observers and, at the end, by whatever records the request (the
 * telemetry record to come reads its route, target, status, timings, usage and cost from here).
 *
 * <p>It is also the only way a stage writes the answer, so that every answer, whatever its shape,
 * passes the registered {@link ResponseObserver}s and is timed.
 *
 * <p>Confined to the request's thread (a stream's relay runs on it too); not thread-safe.
 */
public final class RequestContext {
  private static final Logger LOG = Logger.getLogger(RequestContext.class.getName());

  private final ClientCall call;
  private final ClientResponder out;
  private final LongSupplier nanoTime;
  private final List<ResponseObserver> observers = new ArrayList<>(2);
  private final List<String[]> trailers = new ArrayList<>(1);
  private final List<Runnable> finishActions = new ArrayList<>(0);

  private final RequestRecord record;
  private final long startNanos;
  private long responseStartNanos = -1;
  private long firstByteNanos = -1;
  private long endNanos = -1;

  private GatewayState state;
  private KeyConfig key;
  private RequestBody body;
  private RouteConfig route;
  private List<Attempt> plan;
  private Admission admission;
  private Routed routed;

  private int status;
  private String errorCode;
  private boolean completed;
  private boolean streamed;
  private Outcome outcome;
  private Optional<Usage> reportedUsage = Optional.empty();
  private ResponseModel responseModel = ResponseModel.ignored();
  private long chargedTokens;
  private long costNanos;
  private String costUsd;
  private Decision.Refusal limitRefusal = Decision.Refusal.NONE;

  // Room for the stages to come: each sets its own field and the telemetry record reads it.
  private String promptTemplate;
  private String promptVersion;
  private String cacheStatus;
  private long cacheSavedNanos;
  private long cacheSavedInputTokens;
  private long cacheSavedOutputTokens;
  private final List<String> guardrailVerdicts = new ArrayList<>(0);
  private RequestGuardrails guardrails;
  private UnaryOperator<byte[]> answerRewrite;

  /** A context whose telemetry record goes nowhere (tests of single stages). */
  public RequestContext(ClientCall call, ClientResponder out) {
    this(call, out, System::nanoTime);
  }

  /**
   * @param nanoTime the clock the timings are read from ({@link System#nanoTime} outside tests)
   */
  public RequestContext(ClientCall call, ClientResponder out, LongSupplier nanoTime) {
    this(call, out, nanoTime, Telemetry.disabled().begin(call.requestId(), null));
  }

  /**
   * @param record the request's telemetry record, begun when the call arrived; the pipeline fills
   *     it from this context when the request ends
   */
  public RequestContext(
      ClientCall call, ClientResponder out, LongSupplier nanoTime, RequestRecord record) {
    this.call = call;
    this.out = out;
    this.nanoTime = nanoTime;
    this.record = record;
    this.startNanos = nanoTime.getAsLong();
  }

  // ---- What the client sent

  public ClientCall call() {
    return call;
  }

  /**
   * The request's telemetry record. Most of it is copied from this context when the request ends;
   * stages write to it directly only what the context does not keep (the upstream attempts' spans).
   */
  public RequestRecord record() {
    return record;
  }

  // ---- What the stages learn, in the order they learn it

  /** The configuration this request is served under (one snapshot for the whole request). */
  public GatewayState state() {
    return state;
  }

  public void state(GatewayState state) {
    this.state = state;
  }

  /** The authenticated virtual key. */
  public KeyConfig key() {
    return key;
  }

  public void key(KeyConfig key) {
    this.key = key;
  }

  /** The parsed body in the client's format. */
  public RequestBody body() {
    return body;
  }

  public void body(RequestBody body) {
    this.body = body;
  }

  public RouteConfig route() {
    return route;
  }

  public void route(RouteConfig route) {
    this.route = route;
  }

  /** The attempts the router will make, in order. */
  public List<Attempt> plan() {
    return plan;
  }

  public void plan(List<Attempt> plan) {
    this.plan = plan;
  }

  /** The limits' reservation, or null before the admission stage (or when it refused). */
  Admission admission() {
    return admission;
  }

  void admission(Admission admission) {
    this.admission = admission;
  }

  /** What the router made of the request: a target that answered, or the failure to relay. */
  public Routed routed() {
    return routed;
  }

  public void routed(Routed routed) {
    this.routed = routed;
  }

  /** The attempt whose upstream answered (successfully), or null. */
  public Attempt servedAttempt() {
    return routed instanceof Routed.Served served ? served.attempt() : null;
  }

  /** The prompt template ({@code namespace/name}) the request was rendered from, or null. */
  public String promptTemplate() {
    return promptTemplate;
  }

  public String promptVersion() {
    return promptVersion;
  }

  /** The request was rendered from {@code version} of {@code template} ({@code namespace/name}). */
  public void prompt(String template, String version) {
    this.promptTemplate = template;
    this.promptVersion = version;
  }

  /** {@code hit}, {@code miss} or {@code bypass} once a cache stage exists; null before. */
  public String cacheStatus() {
    return cacheStatus;
  }

  public void cacheStatus(String cacheStatus) {
    this.cacheStatus = cacheStatus;
  }

  /** On a cache hit: what the stored answer cost and used when the upstream gave it. */
  public void cacheSaved(BigDecimal costUsd, long inputTokens, long outputTokens) {
    this.cacheSavedNanos = costUsd.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValue();
    this.cacheSavedInputTokens = inputTokens;
    this.cacheSavedOutputTokens = outputTokens;
  }

  /** On a cache hit, the stored answer's cost in nano-USD; 0 otherwise. */
  public long cacheSavedNanos() {
    return cacheSavedNanos;
  }

  /** On a cache hit, the stored answer's input tokens; 0 otherwise. */
  public long cacheSavedInputTokens() {
    return cacheSavedInputTokens;
  }

  /** On a cache hit, the stored answer's output tokens; 0 otherwise. */
  public long cacheSavedOutputTokens() {
    return cacheSavedOutputTokens;
  }

  /** Verdicts of the guardrail checks that ran, in order. */
  public List<String> guardrailVerdicts() {
    return guardrailVerdicts;
  }

  /** The route's guardrails for this request, or null when the route names no policy. */
  public RequestGuardrails guardrails() {
    return guardrails;
  }

  public void guardrails(RequestGuardrails guardrails) {
    this.guardrails = guardrails;
  }

  /**
   * Makes every served whole answer pass {@code rewrite} (in the client's format) before the
   * observers see it and it leaves: the output guardrails mask or withhold it there. One rewrite
   * per request; streams are rewritten event by event by the relay instead.
   */
  public void rewriteAnswers(UnaryOperator<byte[]> rewrite) {
    this.answerRewrite = rewrite;
  }

  // ---- How it ended

  /** The status sent to the client; 0 while none was. */
  public int status() {
    return status;
  }

  /** The code of the error answered (e.g. {@code rate_limit_exceeded}), or null. */
  public String errorCode() {
    return errorCode;
  }

  /** Null until the answer ended. */
  public Outcome outcome() {
    return outcome;
  }

  /** What the upstream reported, once the answer ended. */
  /** Reads the model the upstream's answer names (telemetry on). */
  void readResponseModel() {
    responseModel = ResponseModel.reading();
  }

  /** The model the upstream's answer names, read by the relay; ignores all when not asked for. */
  ResponseModel responseModel() {
    return responseModel;
  }

  public Optional<Usage> reportedUsage() {
    return reportedUsage;
  }

  /** Input + output tokens the request was charged (reported, else estimated); 0 if none. */
  public long chargedTokens() {
    return chargedTokens;
  }

  /** The cost charged, as sent in {@code x-portcullis-cost-usd}; null when nothing was charged. */
  public String costUsd() {
    return costUsd;
  }

  /** The cost charged in nano-USD (the amount {@link #costUsd()} shows); 0 if none. */
  public long costNanos() {
    return costNanos;
  }

  /** Called by accounting once the request is settled. */
  void charged(long tokens, long costNanos, String costUsd) {
    this.chargedTokens = tokens;
    this.costNanos = costNanos;
    this.costUsd = costUsd;
  }

  /** The key's limit or budget that refused the request; {@code NONE} when none did. */
  public Decision.Refusal limitRefusal() {
    return limitRefusal;
  }

  /** Called by admission when it refuses the request. */
  void limitRefusal(Decision.Refusal refusal) {
    this.limitRefusal = refusal;
  }

  /** Whether the answer was a stream. */
  public boolean streamed() {
    return streamed;
  }

  public long startNanos() {
    return startNanos;
  }

  /** When the status was decided; -1 while it was not. */
  public long responseStartNanos() {
    return responseStartNanos;
  }

  /** When the first byte of the body went out (for a stream: the first event); -1 before. */
  public long firstByteNanos() {
    return firstByteNanos;
  }

  /** When the pipeline was done with the request; -1 before. */
  public long endNanos() {
    return endNanos;
  }

  // ---- Writing the answer: every path goes through the observers

  /** Registers an observer of this request's answer; observers hear of it in this order. */
  public void observe(ResponseObserver observer) {
    observers.add(observer);
  }

  /**
   * Runs {@code action} when the pipeline is done with the request: after every observer heard of
   * the end (so the cost is settled) and {@link #endNanos} is set. For records of the whole request
   * (a prompt version's results).
   */
  public void whenFinished(Runnable action) {
    finishActions.add(action);
  }

  /** Sets a response header; only before the status is decided. */
  public void header(String name, String value) {
    out.header(name, value);
  }

  /**
   * Adds a value known only once the answer is complete: a header for a whole body, a final SSE
   * comment ({@code name=value}) for a stream. Only from {@link ResponseObserver#onComplete}.
   */
  public void trailer(String name, String value) {
    trailers.add(new String[] {name, value});
  }

  /** Whether the status has been decided: no other answer can follow. */
  public boolean committed() {
    return out.committed();
  }

  /** Answers with an error in the client's format. */
  public void sendError(ApiError error) {
    sendError(
        error.status(),
        error.code(),
        RequestBody.serialize(call.endpoint().family().errorBody(error)));
  }

  /**
   * Answers with an error body already in the client's format (an upstream's, relayed).
   *
   * @param errorCode the gateway's code for it, as {@link #errorCode()} reports it
   */
  public void sendError(int status, String errorCode, byte[] json) {
    this.errorCode = errorCode;
    send(status, json);
  }

  /**
   * Sends a whole JSON body that is not a served answer (an error relayed from an upstream, a local
   * answer). Observers hear of the end of an error before the client does — so a released
   * reservation is back before the caller can retry — and of a local answer's when the request
   * ends.
   */
  public void send(int status, byte[] json) {
    start(status, false);
    for (ResponseObserver o : observers) {
      o.onBody(json);
    }
    if (status < 200 || status >= 300) {
      complete(Optional.empty(), Outcome.FAILED);
    }
    firstByteNanos = nanoTime.getAsLong();
    out.send(status, "application/json", json);
  }

  /**
   * Sends a target's whole answer (status 200), already in the client's format.
   *
   * @param usage what the upstream reported in it
   */
  public void sendAnswer(byte[] json, Optional<Usage> usage) {
    if (answerRewrite != null) {
      json = answerRewrite.apply(json);
    }
    start(200, false);
    for (ResponseObserver o : observers) {
      o.onBody(json);
    }
    complete(usage, Outcome.ANSWERED);
    for (String[] t : trailers) {
      out.header(t[0], t[1]);
    }
    firstByteNanos = nanoTime.getAsLong();
    out.send(200, "application/json", json);
  }

  /** Starts a streamed answer (status 200); events then go through {@link #streamed}. */
  public OutputStream startStream() {
    streamed = true;
    start(200, true);
    return out.startStream(200, "text/event-stream");
  }

  /** Whether any observer looks at the events of a stream (see {@link ResponseObserver}). */
  boolean observesStreamEvents() {
    for (ResponseObserver o : observers) {
      if (o.observesStreamEvents()) {
        return true;
      }
    }
    return false;
  }

  /** One event the client got. */
  public void streamed(SseEvent event) {
    bodyBegan();
    for (ResponseObserver o : observers) {
      o.onStreamEvent(event);
    }
  }

  /** Bytes of the answer reached the client (for streams copied byte for byte). */
  void bodyBegan() {
    if (firstByteNanos < 0) {
      firstByteNanos = nanoTime.getAsLong();
    }
  }

  /**
   * The stream reached its end: observers hear of it, and their trailers come back as the SSE
   * comments to send last.
   */
  List<String> completeStream(Optional<Usage> usage) {
    complete(usage, Outcome.ANSWERED);
    List<String> comments = new ArrayList<>(trailers.size());
    for (String[] t : trailers) {
      comments.add(t[0] + "=" + t[1]);
    }
    return comments;
  }

  /**
   * Tells the observers the answer ended, once: later calls do nothing. Trailers added now are sent
   * only by the caller that can still send them.
   */
  public void complete(Optional<Usage> usage, Outcome outcome) {
    if (completed) {
      return;
    }
    completed = true;
    this.outcome = outcome;
    this.reportedUsage = usage;
    for (ResponseObserver o : observers) {
      try {
        o.onComplete(usage, outcome);
      } catch (RuntimeException e) {
        // One observer failing must not keep the others (the limits' settlement) from the end.
        LOG.log(Level.WARNING, "an observer of request " + call.requestId() + " failed", e);
      }
    }
  }

  /**
   * The pipeline is done. An answer whose end nobody announced is a whole body sent with {@link
   * #send} (answered when its status says success, failed otherwise) or a stream that could not
   * begin (failed).
   */
  void finish() {
    boolean answered = !streamed && status >= 200 && status < 300;
    complete(Optional.empty(), answered ? Outcome.ANSWERED : Outcome.FAILED);
    endNanos = nanoTime.getAsLong();
    for (Runnable action : finishActions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "an end action of request " + call.requestId() + " failed", e);
      }
    }
  }

  private void start(int status, boolean streamed) {
    this.status = status;
    responseStartNanos = nanoTime.getAsLong();
    for (ResponseObserver o : observers) {
      o.onHeaders(status, streamed);
    }
  }
}
