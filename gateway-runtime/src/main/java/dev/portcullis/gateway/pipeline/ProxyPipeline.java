package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.cache.CacheSettings;
import dev.portcullis.gateway.cache.ResponseCache;
import dev.portcullis.gateway.http.ApiError;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.prompt.PromptRenderer;
import dev.portcullis.gateway.prompt.PromptResults;
import dev.portcullis.gateway.provider.ProviderRegistry;
import dev.portcullis.gateway.provider.TranslatorRegistry;
import dev.portcullis.gateway.provider.UpstreamTransport;
import dev.portcullis.gateway.routing.Router;
import dev.portcullis.gateway.state.Authenticator;
import dev.portcullis.gateway.state.GatewayState;
import dev.portcullis.gateway.telemetry.GenAiOperation;
import dev.portcullis.gateway.telemetry.RequestRecord;
import dev.portcullis.gateway.telemetry.Telemetry;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The path of one proxied request, top to bottom: the stages in the order they run, over one {@link
 * RequestContext}. Output stages are {@link ResponseObserver}s a stage registers; they see the
 * answer in one shape whatever it was. Every failure is answered in the caller's format.
 */
public final class ProxyPipeline {
  private static final Logger LOG = Logger.getLogger(ProxyPipeline.class.getName());

  private final List<Stage> stages;
  private final Telemetry telemetry;

  /** A pipeline that records no telemetry. */
  public ProxyPipeline(
      Supplier<GatewayState> state,
      Authenticator authenticator,
      ProviderRegistry providers,
      TranslatorRegistry translators,
      UpstreamTransport http,
      AdmissionControl admissions,
      Router router) {
    this(
        state,
        authenticator,
        providers,
        translators,
        http,
        admissions,
        router,
        new PromptResults(),
        null,
        CacheSettings.DEFAULTS.openInProcess(Clock.systemUTC()));
  }

  /**
   * @param promptResults where prompt requests' results per template version are added up
   * @param telemetry where each request's record goes when it ends (null: nowhere)
   * @param cache the response cache routes with {@code cache.mode: Exact} or {@code Semantic} read
   *     and fill
   */
  public ProxyPipeline(
      Supplier<GatewayState> state,
      Authenticator authenticator,
      ProviderRegistry providers,
      TranslatorRegistry translators,
      UpstreamTransport http,
      AdmissionControl admissions,
      Router router,
      PromptResults promptResults,
      Telemetry telemetry,
      ResponseCache cache) {
    this.telemetry = telemetry == null ? Telemetry.disabled() : telemetry;
    UpstreamProviders upstreams = new UpstreamProviders(providers, translators);
    this.stages =
        List.of(
            new AuthenticateStage(state, authenticator),
            new ParseStage(),
            new RouteStage(router), // resolve the route among the key's, plan its targets
            new PromptStage(router, new PromptRenderer(), promptResults), // render templates
            new CountTokensLocallyStage(providers), // count_tokens a target cannot answer
            new InputGuardrailStage(), // check the prompt; a block answers here, nothing spent
            new AdmissionStage(admissions), // limits and budget; registers accounting
            new CacheStage(cache, admissions.clock()), // a hit answers; a miss stores the answer
            // strategy, retries, fallback; a client span per upstream attempt
            new UpstreamStage(router, upstreams, http, this.telemetry),
            // output guardrails: the rewrite/stream hook the input stage set
            new RelayStage(upstreams));
  }

  /** A pipeline of the given stages, in order (for tests and for stages still to come). */
  ProxyPipeline(List<Stage> stages) {
    this(stages, Telemetry.disabled());
  }

  /** A pipeline of the given stages that records into {@code telemetry} (tests). */
  ProxyPipeline(List<Stage> stages, Telemetry telemetry) {
    this.stages = List.copyOf(stages);
    this.telemetry = telemetry;
  }

  /**
   * Serves one call; every failure is answered in the caller's format. The call's telemetry record
   * begins now and is finished once the answer is complete.
   */
  public void handle(ClientCall call, ClientResponder out) {
    RequestRecord record = telemetry.begin(call.requestId(), call.headers().get("traceparent"));
    // Known now and read before the end: the upstream attempts' client spans are named for it.
    record.call(call.format(), GenAiOperation.of(call.operation()), false);
    RequestContext request = new RequestContext(call, out, System::nanoTime, record);
    if (telemetry.records()) {
      request.readResponseModel();
    }
    TelemetryObserver observer = new TelemetryObserver(request);
    request.observe(observer);
    try {
      handle(request);
    } finally {
      // After every observer heard of the end: accounting has set the cost by now.
      observer.fill();
      telemetry.finish(record);
    }
  }

  void handle(RequestContext request) {
    ClientCall call = request.call();
    request.header("x-request-id", call.requestId());
    // Overwritten once a target serves; refusals and errors cost nothing.
    request.header(AccountingObserver.COST_HEADER, "0");
    try {
      for (Stage stage : stages) {
        if (stage.apply(request) == Stage.Flow.ANSWERED) {
          break;
        }
      }
    } catch (GatewayException e) {
      request.sendError(e.error());
    } catch (RuntimeException e) {
      if (request.committed()) {
        LOG.log(Level.FINE, "request " + call.requestId() + " ended after its response began", e);
        return;
      }
      LOG.log(Level.WARNING, "request " + call.requestId() + " failed unexpectedly", e);
      request.sendError(
          ApiError.of(
              ErrorKind.INTERNAL,
              "internal_error",
              "The gateway failed to process this request (request id " + call.requestId() + ")."));
    } finally {
      // Observers that have not heard of the end hear now: the limits' reservation never leaks.
      request.finish();
    }
  }
}
