package dev.portcullis.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.state.GatewayState;
import dev.portcullis.gateway.telemetry.GatewayMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin port: liveness, readiness, Prometheus metrics and the redacted applied configuration.
 */
public final class AdminService implements HttpService {
  private static final ObjectMapper JSON = Jackson.MAPPER;

  private final Supplier<GatewayState> state;
  private final BooleanSupplier draining;
  private final Supplier<String> lastError;
  private final GatewayMetrics metrics;
  private final BooleanSupplier live;

  /**
   * @param metrics served on {@code /metrics}
   * @param live whether the process can still serve traffic (its traffic listener answers); when
   *     not, {@code /healthz} fails so that Kubernetes restarts the pod
   */
  public AdminService(
      Supplier<GatewayState> state,
      BooleanSupplier draining,
      Supplier<String> lastError,
      GatewayMetrics metrics,
      BooleanSupplier live) {
    this.state = state;
    this.draining = draining;
    this.lastError = lastError;
    this.metrics = metrics;
    this.live = live;
  }

  @Override
  public void routing(HttpRules rules) {
    // HEAD is answered as GET without the body (RFC 9110, section 9.3.2), on every path.
    rules
        .get("/healthz", (req, res) -> liveness(res))
        .head("/healthz", (req, res) -> liveness(headersOnly(res)))
        .get("/readyz", (req, res) -> readiness(res))
        .head("/readyz", (req, res) -> readiness(headersOnly(res)))
        .get("/config", (req, res) -> config(res))
        .head("/config", (req, res) -> config(headersOnly(res)))
        .get("/metrics", (req, res) -> metrics(res))
        .head("/metrics", (req, res) -> metrics(headersOnly(res)));
  }

  /** Where an answer goes: the whole of it, or (HEAD) its status and headers only. */
  private interface Reply {
    void send(int status, String contentType, byte[] body);
  }

  private static Reply headersOnly(ServerResponse res) {
    return (status, contentType, body) -> {
      res.status(Status.create(status));
      res.header(HeaderNames.CONTENT_TYPE, contentType);
      res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
      res.send();
    };
  }

  private static Reply whole(ServerResponse res) {
    return (status, contentType, body) -> {
      res.status(Status.create(status));
      res.header(HeaderNames.CONTENT_TYPE, contentType);
      res.send(body);
    };
  }

  private void metrics(ServerResponse res) {
    metrics(whole(res));
  }

  private void liveness(ServerResponse res) {
    liveness(whole(res));
  }

  private void readiness(ServerResponse res) {
    readiness(whole(res));
  }

  private void config(ServerResponse res) {
    config(whole(res));
  }

  private void metrics(Reply res) {
    res.send(
        200,
        GatewayMetrics.CONTENT_TYPE,
        metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private void liveness(Reply res) {
    if (live.getAsBoolean()) {
      json(res, 200, JSON.createObjectNode().put("status", "ok"));
    } else {
      json(res, 503, JSON.createObjectNode().put("status", "traffic listener not answering"));
    }
  }

  private void readiness(Reply res) {
    GatewayState current = state.get();
    ObjectNode body = JSON.createObjectNode();
    if (draining.getAsBoolean()) {
      json(res, 503, body.put("status", "draining"));
    } else if (current == null) {
      json(res, 503, body.put("status", "no configuration applied yet"));
    } else {
      json(res, 200, body.put("status", "ready").put("version", current.snapshot().version()));
    }
  }

  private void config(Reply res) {
    GatewayState current = state.get();
    ObjectNode body =
        current == null ? JSON.createObjectNode() : ConfigSummary.of(current.snapshot());
    String error = lastError.get();
    if (error != null) {
      body.put("lastRejected", error);
    }
    json(res, current == null ? 503 : 200, body);
  }

  private static void json(Reply res, int status, ObjectNode body) {
    try {
      res.send(
          status,
          "application/json",
          JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
