package dev.portcullis.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.fleet.FleetAck;
import dev.portcullis.api.fleet.FleetProtocol;
import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.api.fleet.NotEnforced;
import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.resolve.SnapshotCodec;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import dev.portcullis.gateway.capability.Capabilities;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.state.SnapshotRejectedException;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaTypes;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 *
 * <p><b>Capabilities.</b> The stream's request announces what this gateway enforces ({@link
 * Options#capabilities()}, by default {@link Capabilities#ofThisBuild()}) in {@value
 * FleetProtocol#CAPABILITIES_HEADER}. Each applied version is acknowledged with the entries that
 * need more ({@link GatewayCapabilities#notEnforced}); the rest of the snapshot applies, and the
 * routes among them fail closed (503) rather than be served without what they need.
 */
public final class FleetConfigSource implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(FleetConfigSource.class.getName());
  private static final ObjectMapper JSON = Jackson.MAPPER;

  /**
   * @param readTimeout how long a silent stream is trusted (the operator sends heartbeats)
   * @param minBackoff first reconnect delay
   * @param maxBackoff longest reconnect delay
   * @param usageInterval how often usage per key is reported to the operator
   * @param trustedCa PEM file of the certificate(s) that sign the config service's certificate, for
   *     an {@code https} operator URL; null = the JVM's default trust store
   * @param capabilities what this gateway announces and acknowledges as enforced: this build's
   *     ({@link Capabilities#ofThisBuild()}); tests give another set to stand for another build in
   *     a mixed-version fleet
   */
  public record Options(
      Duration readTimeout,
      Duration minBackoff,
      Duration maxBackoff,
      Duration usageInterval,
      Path trustedCa,
      GatewayCapabilities capabilities) {
    public static final Duration DEFAULT_USAGE_INTERVAL = Duration.ofSeconds(5);
    public static final Options DEFAULTS =
        new Options(Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(30));

    public Options(Duration readTimeout, Duration minBackoff, Duration maxBackoff) {
      this(
          readTimeout,
          minBackoff,
          maxBackoff,
          DEFAULT_USAGE_INTERVAL,
          null,
          Capabilities.ofThisBuild());
    }

    public Options withUsageInterval(Duration interval) {
      return new Options(readTimeout, minBackoff, maxBackoff, interval, trustedCa, capabilities);
    }

    public Options withTrustedCa(Path caFile) {
      return new Options(readTimeout, minBackoff, maxBackoff, usageInterval, caFile, capabilities);
    }

    public Options withCapabilities(GatewayCapabilities announced) {
      return new Options(readTimeout, minBackoff, maxBackoff, usageInterval, trustedCa, announced);
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
  // only touched by the stream's thread
  private List<NotEnforced> lastNotEnforced = List.of();

  private FleetConfigSource(
      URI operator, Path tokenFile, String pod, Gateway gateway, Options options) {
    this.gateway = gateway;
    this.tokenFile = tokenFile;
    this.pod = pod;
    this.options = options;
    WebClientConfig.Builder builder =
        WebClient.builder()
            .baseUri(operator)
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(options.readTimeout())
            .followRedirects(false);
    if (options.trustedCa() != null) {
      builder.tls(Tls.builder().trust(certificates(options.trustedCa())).build());
    }
    this.client = builder.build();
    this.thread = Thread.ofPlatform().daemon().name("portcullis-fleet-config").unstarted(this::run);
    this.usage = new FleetUsageReporter(gateway.usageLedger(), pod, this::sendUsage);
  }

  /** The certificates in a PEM file; fails at start with the file named, not at each connect. */
  static List<X509Certificate> certificates(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) c);
      }
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + pem);
      }
      return certificates;
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(
          "cannot read the operator CA certificate(s) from " + pem + ": " + e.getMessage(), e);
    }
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
      } catch (OutOfStepException e) {
        LOG.info(e.getMessage());
        failures = 0;
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
            .header(
                HeaderNames.create(FleetProtocol.CAPABILITIES_HEADER),
                options.capabilities().toHeader())
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
    try (InputStream in = response.inputStream()) {
      Lines lines = new Lines(in);
      byte[] line;
      while (!closed && (line = lines.next()) != null) {
        if (line.length > 0) {
          apply(line, token);
        }
      }
    }
    return true;
  }

  /**
   * Splits the stream at {@code \n} into byte arrays. A snapshot line is megabytes of UTF-8 JSON;
   * it goes to the parser as bytes, never decoded to a String and encoded back. A heartbeat is an
   * empty line.
   */
  private static final class Lines {
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    Lines(InputStream in) {
      this.in = in;
    }

    /** The next line without its {@code \n}, or null at the end of the stream. */
    byte[] next() throws IOException {
      ByteArrayOutputStream line = null;
      while (true) {
        for (int i = start; i < end; i++) {
          if (buffer[i] == '\n') {
            byte[] tail = Arrays.copyOfRange(buffer, start, i);
            start = i + 1;
            if (line == null) {
              return tail;
            }
            line.write(tail);
            return line.toByteArray();
          }
        }
        if (start < end) {
          if (line == null) {
            line = new ByteArrayOutputStream();
          }
          line.write(buffer, start, end - start);
        }
        start = 0;
        end = in.read(buffer);
        if (end == -1) {
          end = 0;
          return line == null ? null : line.toByteArray();
        }
      }
    }
  }

  /**
   * Applies one message of the stream and answers it.
   *
   * @throws OutOfStepException when a delta does not apply to the snapshot this gateway runs: the
   *     connection is dropped and the next one starts with a whole snapshot
   */
  private void apply(byte[] json, String token) {
    Object message;
    try {
      message = SnapshotCodec.readFleetMessage(json);
    } catch (IllegalArgumentException e) {
      acknowledge(FleetAck.rejected(pod, SnapshotCodec.versionOf(json), e.getMessage()), token);
      return;
    }
    String version =
        message instanceof SnapshotDelta delta ? delta.version() : ((Snapshot) message).version();
    try {
      if (message instanceof SnapshotDelta delta) {
        String running = gateway.appliedVersion();
        if (!delta.base().equals(running)) {
          throw new OutOfStepException(delta, running);
        }
        gateway.apply(delta);
      } else {
        gateway.apply((Snapshot) message);
      }
      acknowledge(FleetAck.applied(pod, version, notEnforced(version)), token);
    } catch (IllegalArgumentException e) {
      // a delta that does not fit what runs
      acknowledge(FleetAck.rejected(pod, version, e.getMessage()), token);
    } catch (SnapshotRejectedException e) {
      LOG.warning(
          "rejected configuration "
              + version
              + ", keeping "
              + gateway.appliedVersion()
              + ": "
              + e.getMessage());
      acknowledge(FleetAck.rejected(pod, version, e.getMessage()), token);
    }
  }

  /**
   * The entries of the applied snapshot this gateway cannot enforce, logged when they change: each
   * is a resource that is not {@code Programmed} here, and each such route answers 503.
   */
  private List<NotEnforced> notEnforced(String version) {
    List<NotEnforced> entries = options.capabilities().notEnforced(gateway.appliedSnapshot());
    if (!entries.equals(lastNotEnforced)) {
      entries.forEach(
          e ->
              LOG.warning(
                  "configuration "
                      + version
                      + ": "
                      + e.kind()
                      + " "
                      + e.name()
                      + " is not enforced by this gateway ("
                      + e.reason()
                      + ")"
                      + ("LLMRoute".equals(e.kind()) ? "; its requests are answered 503" : "")));
      lastNotEnforced = entries;
    }
    return entries;
  }

  /** A delta came for a version this gateway does not run (it rejected that version). */
  private static final class OutOfStepException extends RuntimeException {
    OutOfStepException(SnapshotDelta delta, String running) {
      super(
          "the operator sent a change to "
              + delta.base()
              + " but this gateway runs "
              + running
              + "; reconnecting for a whole snapshot",
          null,
          false,
          false);
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
