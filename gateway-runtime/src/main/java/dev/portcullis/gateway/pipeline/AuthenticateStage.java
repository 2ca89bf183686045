package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.state.Authenticator;
import dev.portcullis.gateway.state.GatewayState;
import java.util.function.Supplier;

/**
 * Takes the configuration the request is served under (one snapshot for the whole request, even if
 * a new one arrives meanwhile) and authenticates the presented virtual key against it.
 */
final class AuthenticateStage implements Stage {
  private final Supplier<GatewayState> state;
  private final Authenticator authenticator;

  AuthenticateStage(Supplier<GatewayState> state, Authenticator authenticator) {
    this.state = state;
    this.authenticator = authenticator;
  }

  @Override
  public Flow apply(RequestContext request) {
    GatewayState current = state.get();
    if (current == null) {
      throw new GatewayException(
          ErrorKind.UNAVAILABLE,
          "not_ready",
          "The gateway has not loaded its configuration yet; retry shortly.");
    }
    request.state(current);
    request.key(authenticator.authenticate(current, request.call().apiKey()));
    return Flow.CONTINUE;
  }
}
