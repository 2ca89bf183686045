package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.http.ApiError;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.provider.ProviderRegistry;
import dev.portcullis.gateway.provider.TranslatorRegistry;
import dev.portcullis.gateway.provider.UpstreamTransport;
import dev.portcullis.gateway.routing.Router;
import dev.portcullis.gateway.state.Authenticator;
import dev.portcullis.gateway.state.GatewayState;
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

  public ProxyPipeline(
      Supplier<GatewayState> state,
      Authenticator authenticator,
      ProviderRegistry providers,
      TranslatorRegistry translators,
      UpstreamTransport http,
      AdmissionControl admissions,
      Router router) {
    UpstreamProviders upstreams = new UpstreamProviders(providers, translators);
    this.stages =
        List.of(
            new AuthenticateStage(state, authenticator),
            new ParseStage(),
            new RouteStage(router), // resolve the route among the key's, plan its targets
            // [prompt templates] render the route's template into the body
            new CountTokensLocallyStage(providers), // count_tokens a target cannot answer
            new InputGuardrailStage(), // check the prompt; a block answers here, nothing spent
            new AdmissionStage(admissions), // limits and budget; registers accounting
            // [cache] a hit answers here; a miss registers the store as an observer
            new UpstreamStage(router, upstreams, http), // strategy, retries, fallback
            new RelayStage(
                upstreams)); // output guardrails: the rewrite/stream hook the input stage set
  }

  /** A pipeline of the given stages, in order (for tests and for stages still to come). */
  ProxyPipeline(List<Stage> stages) {
    this.stages = List.copyOf(stages);
  }

  /** Serves one call; every failure is answered in the caller's format. */
  public void handle(ClientCall call, ClientResponder out) {
    handle(new RequestContext(call, out));
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
