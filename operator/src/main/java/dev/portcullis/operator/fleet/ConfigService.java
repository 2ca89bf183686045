package dev.portcullis.operator.fleet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.fleet.FleetAck;
import dev.portcullis.api.fleet.FleetProtocol;
import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.operator.snapshot.SnapshotBuild;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The config service gateways connect to (see {@link FleetProtocol} for the wire contract). A
 * gateway holds one streaming GET open; the operator writes the current snapshot at once and each
 * new version as soon as it is built, and a heartbeat line when idle so a dead connection is
 * noticed on both ends. Acknowledgements and usage reports come back as separate POSTs.
 */
public final class ConfigService implements HttpService {
  private static final Logger LOG = Logger.getLogger(ConfigService.class.getName());
  // Fields a newer gateway adds to its answers are ignored, so an operator can lag its fleet.
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final HeaderName POD = HeaderNames.create(FleetProtocol.POD_HEADER);
  private static final HeaderName CAPABILITIES =
      HeaderNames.create(FleetProtocol.CAPABILITIES_HEADER);

  private final Fleet fleet;
  private final Consumer<UsageReport> usage;
  private final FleetToken token;
  private final Duration heartbeat;

  /**
   * @param usage takes a usage report posted here; throws {@link IllegalArgumentException} when
   *     malformed (answered 400)
   */
  public ConfigService(
      Fleet fleet, Consumer<UsageReport> usage, FleetToken token, Duration heartbeat) {
    this.fleet = fleet;
    this.usage = usage;
    this.token = token;
    this.heartbeat = heartbeat;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get(FleetProtocol.SNAPSHOTS_PATH, this::stream)
        .post(FleetProtocol.ACKS_PATH, this::acknowledge)
        .post(FleetProtocol.USAGE_PATH, this::reportUsage)
        .get("/healthz", (req, res) -> res.send("ok"));
  }

  private void stream(ServerRequest req, ServerResponse res) {
    String pod = authorizedPod(req, res);
    if (pod == null) {
      return;
    }
    GatewayCapabilities capabilities;
    try {
      // none announced: a gateway older than capabilities, taken to enforce the baseline
      capabilities = GatewayCapabilities.fromHeader(req.headers().first(CAPABILITIES).orElse(null));
    } catch (IllegalArgumentException e) {
      res.status(Status.BAD_REQUEST_400).send(e.getMessage());
      return;
    }
    Fleet.Session session = fleet.connect(pod, capabilities);
    res.header(HeaderNames.CONTENT_TYPE, FleetProtocol.STREAM_CONTENT_TYPE);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    try (OutputStream out = res.outputStream()) {
      out.write('\n'); // sends the headers now, so the gateway knows it is connected
      out.flush();
      while (!session.isClosed()) {
        SnapshotBuild next = session.next(heartbeat);
        if (next != null) {
          out.write(fleet.encode(session, next));
        }
        out.write('\n');
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // The gateway went away (or the server is stopping); it reconnects by itself.
      LOG.fine(() -> "stream to " + pod + " ended: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      fleet.disconnect(session);
    }
  }

  private void acknowledge(ServerRequest req, ServerResponse res) {
    String pod = authorizedPod(req, res);
    if (pod == null) {
      return;
    }
    FleetAck ack;
    try {
      ack = JSON.readValue(req.content().inputStream(), FleetAck.class);
    } catch (IOException e) {
      res.status(Status.BAD_REQUEST_400).send("the body is not an acknowledgement");
      return;
    }
    if (!pod.equals(ack.pod())) {
      res.status(Status.BAD_REQUEST_400)
          .send(
              "the acknowledgement's pod differs from the " + FleetProtocol.POD_HEADER + " header");
      return;
    }
    fleet.acknowledge(ack);
    res.status(Status.NO_CONTENT_204).send();
  }

  private void reportUsage(ServerRequest req, ServerResponse res) {
    String pod = authorizedPod(req, res);
    if (pod == null) {
      return;
    }
    UsageReport report;
    try {
      report = JSON.readValue(req.content().inputStream(), UsageReport.class);
    } catch (IOException e) {
      res.status(Status.BAD_REQUEST_400).send("the body is not a usage report");
      return;
    }
    if (!pod.equals(report.pod())) {
      res.status(Status.BAD_REQUEST_400)
          .send("the usage report's pod differs from the " + FleetProtocol.POD_HEADER + " header");
      return;
    }
    try {
      usage.accept(report);
    } catch (IllegalArgumentException e) {
      res.status(Status.BAD_REQUEST_400).send(e.getMessage());
      return;
    }
    res.status(Status.NO_CONTENT_204).send();
  }

  /** The pod name of an authorized request, or null after answering 401 or 400. */
  private String authorizedPod(ServerRequest req, ServerResponse res) {
    String authorization = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
    if (!token.admits(authorization)) {
      res.status(Status.UNAUTHORIZED_401)
          .header(HeaderNames.WWW_AUTHENTICATE, "Bearer")
          .send("a valid fleet token is required (Authorization: Bearer <token>)");
      return null;
    }
    String pod = req.headers().first(POD).orElse("").strip();
    if (pod.isEmpty()) {
      res.status(Status.BAD_REQUEST_400)
          .send("name the gateway pod in " + FleetProtocol.POD_HEADER);
      return null;
    }
    return pod;
  }
}
