package dev.portcullis.gateway.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.RouteConfig.FallbackOn;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.json.Jackson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Why an upstream attempt failed, and how that reads to the client.
 *
 * @param headers response headers by lower-case name (empty unless {@code kind} is STATUS)
 * @param body the error body, at most {@link Router#MAX_ERROR_BODY} bytes
 */
public record UpstreamFailure(
    Kind kind, int status, Map<String, String> headers, byte[] body, String detail) {
  private static final ObjectMapper JSON = Jackson.MAPPER;

  public enum Kind {
    /** The upstream answered with an error status. */
    STATUS,
    /** Connect or first-byte timeout. */
    TIMEOUT,
    /** Refused, reset or dropped connection. */
    CONNECTION
  }

  public static UpstreamFailure status(int status, Map<String, String> headers, byte[] body) {
    return new UpstreamFailure(Kind.STATUS, status, headers, body, null);
  }

  public static UpstreamFailure io(IOException e) {
    if (e instanceof SocketTimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
      return new UpstreamFailure(Kind.TIMEOUT, 504, Map.of(), new byte[0], e.getMessage());
    }
    return new UpstreamFailure(Kind.CONNECTION, 502, Map.of(), new byte[0], e.getMessage());
  }

  /** Whether the request surely never reached the upstream (nothing to account for). */
  static boolean neverSent(IOException e) {
    return e instanceof ConnectException || e instanceof UnknownHostException;
  }

  /** Whether {@code strategy.fallbackOn} moves on to the next target after this failure. */
  public boolean failsOver(FallbackOn on) {
    if (on == null) {
      return false;
    }
    return switch (kind) {
      case STATUS -> on.statusCodes().contains(status);
      case TIMEOUT -> on.timeouts();
      case CONNECTION -> on.connectionErrors();
    };
  }

  /**
   * Whether the failure says something about the target's health (counts toward its cooldown and
   * its Adaptive error rate): timeouts, connection errors, 429 and 5xx. Other 4xx are the request's
   * fault.
   */
  public boolean isTargetFault() {
    return kind != Kind.STATUS || status == 429 || status >= 500;
  }

  /** Upstream 401/403 mean the gateway's provider credential is wrong, not the client's. */
  public boolean passThrough() {
    return kind == Kind.STATUS && status != 401 && status != 403;
  }

  public boolean isJson() {
    return json() != null;
  }

  public ObjectNode json() {
    if (body.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(body) instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
    }
  }

  public GatewayException toException(Attempt attempt) {
    String where =
        "target '"
            + attempt.target().name()
            + "' ("
            + attempt.target().provider()
            + ") of route "
            + attempt.route().id().qualifiedName();
    return switch (kind) {
      case TIMEOUT ->
          new GatewayException(
              ErrorKind.GATEWAY_TIMEOUT, "upstream_timeout", "Upstream " + where + " timed out.");
      case CONNECTION ->
          new GatewayException(
              ErrorKind.BAD_GATEWAY,
              "upstream_unreachable",
              "Upstream " + where + " could not be reached: " + detail);
      case STATUS ->
          status == 401 || status == 403
              ? new GatewayException(
                  ErrorKind.BAD_GATEWAY,
                  "upstream_auth_failed",
                  "Upstream "
                      + where
                      + " rejected the gateway's provider credentials (HTTP "
                      + status
                      + "); check the route's credentials Secret.")
              : new GatewayException(
                  ErrorKind.forStatus(status),
                  "upstream_error",
                  "Upstream " + where + " answered HTTP " + status + ".");
    };
  }
}
