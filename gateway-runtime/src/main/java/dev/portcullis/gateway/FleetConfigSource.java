package dev.portcullis.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.fleet.FleetAck;
import dev.portcullis.api.fleet.FleetProtocol;
import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.resolve.SnapshotCodec;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.state.SnapshotRejectedException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaTypes;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fleet mode: the gateway takes its configuration from the operator's config service (see {@link
 * FleetProtocol}). It holds one streaming request open, applies each snapshot that arrives
 * atomically through {@link Gateway#apply}, and answers each version with an acknowledgement, or a
 * rejection with the reason while it keeps its last good snapshot.
 *
 * <p>When the operator is away (restart, network), the gateway keeps serving what it has and
 * reconnects with exponential backoff and jitter, so a restarted operator is not hit by the whole
 * fleet at once. A gateway is not ready until it has applied its first snapshot ({@code /readyz}).
 * The token file is read on every connection, so a rotated mounted Secret is picked up.
 *
 * <p>Over the same connection details the gateway reports usage per key ({@link
 * FleetUsageReporter}), every {@link Options#usageInterval()} and once more at shutdown.
 */
public final class FleetConfigSource implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(FleetConfigSource.class.getName());
  private static final ObjectMapper JSON = Jackson.MAPPER;

  /**
   * @param readTimeout how long a silent stream is trusted (the operator sends heartbeats)
   * @param minBackoff first reconnect delay
   * @param maxBackoff longest reconnect delay
   * @param usageInterval how often usage per key is reported to the operator
   */
  public record Options(
      Duration readTimeout, Duration minBackoff, Duration maxBackoff, Duration usageInterval) {
    public static final Duration DEFAULT_USAGE_INTERVAL = Duration.ofSeconds(5);
    public static final Options DEFAULTS =
        new Options(Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(30));

    public Options(Duration readTimeout, Duration minBackoff, Duration maxBackoff) {
      this(readTimeout, minBackoff, maxBackoff, DEFAULT_USAGE_INTERVAL);
    }

    public Options withUsageInterval(Duration interval) {
      return new Options(readTimeout, minBackoff, maxBackoff, interval);
    }
  }

  private final Gateway gateway;
  private final Path tokenFile;
  private final String pod;
  private final Options options;
  private final WebClient client;
  private final Thread thread;
  private final FleetUsageReporter usage;
  private final AtomicReference<HttpClientResponse> stream = new AtomicReference<>();
  private volatile boolean closed;
  private volatile boolean connected;

  private FleetConfigSource(
      URI operator, Path tokenFile, String pod, Gateway gateway, Options options) {
    this.gateway = gateway;
    this.tokenFile = tokenFile;
    this.pod = pod;
    this.options = options;
    this.client =
        WebClient.builder()
            .baseUri(operator)
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(options.readTimeout())
            .followRedirects(false)
            .build();
    this.thread = Thread.ofPlatform().daemon().name("portcullis-fleet-config").unstarted(this::run);
    this.usage = new FleetUsageReporter(gateway.usageLedger(), pod, this::sendUsage);
  }

  /** Starts connecting in the background; the gateway becomes ready with the first snapshot. */
  public static FleetConfigSource start(URI operator, Path tokenFile, String pod, Gateway gateway) {
    return start(operator, tokenFile, pod, gateway, Options.DEFAULTS);
  }

  public static FleetConfigSource start(
      URI operator, Path tokenFile, String pod, Gateway gateway, Options options) {
    FleetConfigSource source = new FleetConfigSource(operator, tokenFile, pod, gateway, options);
    source.thread.start();
    source.usage.startEvery(options.usageInterval());
    // The last report goes out after in-flight requests have settled, before the store closes.
    gateway.whenDrained(source.usage::reportNow);
    return source;
  }

  /** The pod name: {@code POD_NAME} (the Downward API), else the host name. */
  public static String podName() {
    String fromEnv = System.getenv("POD_NAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "gateway-" + ProcessHandle.current().pid();
    }
  }

  /** Whether the stream to the operator is open now. */
  public boolean isConnected() {
    return connected;
  }

  private void run() {
    int failures = 0;
    while (!closed) {
      try {
        if (follow()) {
          failures = 0;
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.log(
              failures == 0 ? Level.WARNING : Level.FINE,
              "lost the operator ("
                  + e.getClass().getSimpleName()
                  + "); serving configuration "
                  + gateway.appliedVersion()
                  + " and reconnecting");
        }
      } finally {
        connected = false;
        HttpClientResponse open = stream.getAndSet(null);
        if (open != null) {
          open.close();
        }
      }
      if (!closed) {
        sleep(backoff(failures++));
      }
    }
  }

  /**
   * One connection: reads snapshots until the stream ends.
   *
   * @return whether the operator accepted the connection
   */
  private boolean follow() throws IOException {
    String token = token();
    HttpClientResponse response =
        client
            .get(FleetProtocol.SNAPSHOTS_PATH)
            .header(HeaderNames.AUTHORIZATION, "Bearer " + token)
            .header(HeaderNames.create(FleetProtocol.POD_HEADER), pod)
            .request();
    stream.set(response);
    int status = response.status().code();
    if (status != 200) {
      LOG.warning(
          "the operator answered "
              + status
              + (status == 401 ? " (the fleet token was refused; check --fleet-token-file)" : "")
              + "; retrying");
      return false;
    }
    connected = true;
    usage.resendAll();
    LOG.info("connected to the operator as " + pod);
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.inputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (!closed && (line = lines.readLine()) != null) {
        if (!line.isBlank()) {
          apply(line.getBytes(StandardCharsets.UTF_8), token);
        }
      }
    }
    return true;
  }

  private void apply(byte[] json, String token) {
    Snapshot snapshot;
    try {
      snapshot = SnapshotCodec.fromJson(json);
    } catch (IllegalArgumentException e) {
      acknowledge(FleetAck.rejected(pod, versionOf(json), e.getMessage()), token);
      return;
    }
    try {
      gateway.apply(snapshot);
      acknowledge(FleetAck.applied(pod, snapshot.version()), token);
    } catch (SnapshotRejectedException e) {
      LOG.warning(
          "rejected configuration "
              + snapshot.version()
              + ", keeping "
              + gateway.appliedVersion()
              + ": "
              + e.getMessage());
      acknowledge(FleetAck.rejected(pod, snapshot.version(), e.getMessage()), token);
    }
  }

  /** The version of a snapshot this gateway cannot read, so the rejection can name it. */
  private static String versionOf(byte[] json) {
    try {
      return JSON.readTree(json).path("version").asText(null);
    } catch (IOException e) {
      return null;
    }
  }

  private void acknowledge(FleetAck ack, String token) {
    try (HttpClientResponse response =
        client
            .post(FleetProtocol.ACKS_PATH)
            .header(HeaderNames.AUTHORIZATION, "Bearer " + token)
            .header(HeaderNames.create(FleetProtocol.POD_HEADER), pod)
            .contentType(HttpMediaTypes.JSON_UTF_8)
            .submit(JSON.writeValueAsBytes(ack))) {
      if (response.status().code() != 204) {
        LOG.warning("the operator answered " + response.status().code() + " to an acknowledgement");
      }
    } catch (IOException | RuntimeException e) {
      // The operator re-sends the current snapshot on reconnect and it is acknowledged then.
      LOG.fine(
          () -> "could not acknowledge " + ack.version() + ": " + e.getClass().getSimpleName());
    }
  }

  private boolean sendUsage(UsageReport report) {
    try (HttpClientResponse response =
        client
            .post(FleetProtocol.USAGE_PATH)
            .header(HeaderNames.AUTHORIZATION, "Bearer " + token())
            .header(HeaderNames.create(FleetProtocol.POD_HEADER), pod)
            .contentType(HttpMediaTypes.JSON_UTF_8)
            .submit(JSON.writeValueAsBytes(report))) {
      if (response.status().code() == 204) {
        return true;
      }
      LOG.warning("the operator answered " + response.status().code() + " to a usage report");
      return false;
    } catch (IOException | RuntimeException e) {
      LOG.fine(() -> "could not report usage: " + e.getClass().getSimpleName());
      return false;
    }
  }

  private String token() throws IOException {
    return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
  }

  /** Exponential, capped, with full jitter in the upper half so a fleet spreads out. */
  private Duration backoff(int failures) {
    long min = options.minBackoff().toMillis();
    long max = options.maxBackoff().toMillis();
    long exp = min << Math.min(failures, 20);
    long capped = Math.min(max, exp <= 0 ? max : exp);
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    usage.close();
    closed = true;
    HttpClientResponse open = stream.getAndSet(null);
    if (open != null) {
      open.close();
    }
    thread.interrupt();
  }
}
