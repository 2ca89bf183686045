package dev.portcullis.gateway;

import dev.portcullis.gateway.cache.CacheSettings;
import dev.portcullis.gateway.telemetry.TelemetrySettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The gateway program: {@code java -jar portcullis-gateway.jar --manifests DIR}. */
@Command(
    name = "portcullis-gateway",
    mixinStandardHelpOptions = true,
    version = "portcullis-gateway 0.1.0",
    description = {
      "Portcullis LLM gateway: OpenAI- and Anthropic-compatible endpoints in front of your"
          + " providers.",
      "Every option can also be set through the environment variable shown in its" + " description."
    },
    sortOptions = false)
public final class Main implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  @Option(
      names = "--manifests",
      defaultValue = "${env:PORTCULLIS_MANIFESTS}",
      description =
          "Standalone mode: a folder of LLMRoute/VirtualKey/GuardrailPolicy/PromptTemplate and"
              + " Secret YAML files, watched for changes (env PORTCULLIS_MANIFESTS).")
  Path manifests;

  @Option(
      names = "--operator",
      defaultValue = "${env:PORTCULLIS_OPERATOR}",
      description =
          "Fleet mode: URL of the operator's config service, e.g."
              + " http://portcullis-operator:8081 (env PORTCULLIS_OPERATOR). The pod name comes"
              + " from POD_NAME, else the host name.")
  URI operator;

  @Option(
      names = "--fleet-token-file",
      defaultValue = "${env:PORTCULLIS_FLEET_TOKEN_FILE}",
      description =
          "Fleet mode: file holding the fleet token (a mounted Secret, re-read on every"
              + " connection) (env PORTCULLIS_FLEET_TOKEN_FILE).")
  Path fleetTokenFile;

  @Option(
      names = "--operator-ca-file",
      defaultValue = "${env:PORTCULLIS_OPERATOR_CA_FILE}",
      description =
          "Fleet mode with an https operator URL: PEM file of the CA certificate(s) that sign the"
              + " config service's certificate (env PORTCULLIS_OPERATOR_CA_FILE; unset: the JVM's"
              + " default trust store).")
  Path operatorCaFile;

  @Option(
      names = "--host",
      defaultValue = "${env:PORTCULLIS_HOST:-0.0.0.0}",
      description = "Address to listen on (env PORTCULLIS_HOST, default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "${env:PORTCULLIS_PORT:-8080}",
      description = "Traffic port (env PORTCULLIS_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--admin-port",
      defaultValue = "${env:PORTCULLIS_ADMIN_PORT:-9090}",
      description =
          "Admin port for /healthz, /readyz, /metrics, /config (env PORTCULLIS_ADMIN_PORT, default"
              + " ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "${env:PORTCULLIS_MAX_BODY_BYTES:-10485760}",
      description =
          "Largest request body accepted; larger ones get 413 (env PORTCULLIS_MAX_BODY_BYTES,"
              + " default ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(
      names = "--shutdown-grace",
      defaultValue = "${env:PORTCULLIS_SHUTDOWN_GRACE:-30s}",
      converter = DurationConverter.class,
      description =
          "How long in-flight requests may finish after SIGTERM (env PORTCULLIS_SHUTDOWN_GRACE,"
              + " default ${DEFAULT-VALUE}).")
  Duration shutdownGrace;

  @Option(
      names = "--redis",
      defaultValue = "${env:PORTCULLIS_REDIS}",
      description =
          "Share rate limits, concurrency caps and budgets with the fleet in Redis:"
              + " redis://[:password@]host:port[/db] (rediss:// for TLS), Sentinel"
              + " redis-sentinel://[:password@]host:26379,host:26380/master[?waitReplicas=1], or"
              + " Cluster redis-cluster://[:password@]host:6379,host:6380 (env PORTCULLIS_REDIS;"
              + " unset: counted in this process only).")
  String redis;

  @Option(
      names = "--cache-max-bytes",
      defaultValue = "${env:PORTCULLIS_CACHE_MAX_BYTES:-67108864}",
      description =
          "Total size of the in-process response cache (routes with cache.mode Exact; used"
              + " without --redis, which keeps the cache in Redis, shared by the fleet) (env"
              + " PORTCULLIS_CACHE_MAX_BYTES, default ${DEFAULT-VALUE}).")
  long cacheMaxBytes;

  @Option(
      names = "--access-log",
      defaultValue = "${env:PORTCULLIS_ACCESS_LOG:-stdout}",
      description =
          "One JSON line per request: stdout, off, or a file path to append to"
              + " (env PORTCULLIS_ACCESS_LOG, default ${DEFAULT-VALUE}).")
  String accessLog;

  @Option(
      names = "--request-metrics",
      defaultValue = "${env:PORTCULLIS_REQUEST_METRICS:-true}",
      arity = "1",
      description =
          "Count every request in the /metrics histograms and counters; false serves only JVM and"
              + " configuration metrics (env PORTCULLIS_REQUEST_METRICS, default"
              + " ${DEFAULT-VALUE}). Traces follow the standard OTEL_* variables, e.g."
              + " OTEL_EXPORTER_OTLP_ENDPOINT.")
  boolean requestMetrics;

  @Option(
      names = "--max-concurrent-requests",
      defaultValue = "${env:PORTCULLIS_MAX_CONCURRENT_REQUESTS:-0}",
      description =
          "Requests (streams included) served at once; beyond it new requests get 503 with"
              + " retry-after while those in flight continue (env"
              + " PORTCULLIS_MAX_CONCURRENT_REQUESTS; default 0: one per 256 KiB of maximum heap,"
              + " at least 16).")
  int maxConcurrentRequests;

  @Option(
      names = "--max-header-bytes",
      defaultValue = "${env:PORTCULLIS_MAX_HEADER_BYTES:-16384}",
      description =
          "Largest request headers accepted; larger ones get 431 (env"
              + " PORTCULLIS_MAX_HEADER_BYTES, default ${DEFAULT-VALUE}).")
  int maxHeaderBytes;

  @Option(
      names = "--read-timeout",
      defaultValue = "${env:PORTCULLIS_READ_TIMEOUT:-30s}",
      converter = DurationConverter.class,
      description =
          "Longest silence while reading a request, and longest a whole request body may take"
              + " to arrive; the connection is closed after it (env PORTCULLIS_READ_TIMEOUT,"
              + " default ${DEFAULT-VALUE}).")
  Duration readTimeout;

  @Option(
      names = "--idle-timeout",
      defaultValue = "${env:PORTCULLIS_IDLE_TIMEOUT:-60s}",
      converter = DurationConverter.class,
      description =
          "How long a connection may wait for its next request (or sit part way through a"
              + " request line) before it is closed (env PORTCULLIS_IDLE_TIMEOUT, default"
              + " ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(
      names = "--header-timeout",
      defaultValue = "${env:PORTCULLIS_HEADER_TIMEOUT:-10s}",
      converter = DurationConverter.class,
      description =
          "Longest time from a request line to the end of its headers; a client slower than that"
              + " (a stall or a trickle) gets 408 and its connection is closed (env"
              + " PORTCULLIS_HEADER_TIMEOUT, default ${DEFAULT-VALUE}).")
  Duration headerTimeout;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (manifests == null && operator == null) {
      System.err.println(
          "Nothing to serve: give --manifests DIR (standalone mode) or --operator URL"
              + " --fleet-token-file F (fleet mode). See --help.");
      return 2;
    }
    if (manifests != null && operator != null) {
      System.err.println("Give either --manifests or --operator, not both.");
      return 2;
    }
    if (operator != null && fleetTokenFile == null) {
      System.err.println("Fleet mode needs --fleet-token-file F as well as --operator URL.");
      return 2;
    }
    if (operatorCaFile != null && (operator == null || !"https".equals(operator.getScheme()))) {
      System.err.println("--operator-ca-file needs an https --operator URL.");
      return 2;
    }
    GatewaySettings settings =
        new GatewaySettings(host, port, adminPort, maxBodyBytes, shutdownGrace)
            .withRedis(redis)
            .withCache(CacheSettings.DEFAULTS.withMaxBytes(cacheMaxBytes))
            .withTelemetry(
                TelemetrySettings.DEFAULTS
                    .withAccessLog(accessLog)
                    .withRequestMetrics(requestMetrics))
            .withServer(
                new ServerLimits(
                    maxConcurrentRequests,
                    maxHeaderBytes,
                    readTimeout,
                    idleTimeout,
                    headerTimeout));
    Gateway gateway;
    try {
      gateway = Gateway.start(settings);
    } catch (java.io.UncheckedIOException e) {
      // An access-log file that cannot be opened: say which, without a stack trace.
      System.err.println(e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      System.err.println("Cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean draining = new AtomicBoolean();
    Runnable drain =
        () -> {
          if (!draining.compareAndSet(false, true)) {
            return; // the SIGTERM drain is done or under way
          }
          LOG.info("shutting down: draining in-flight requests");
          gateway.shutdown();
          stopped.countDown();
        };
    // SIGTERM (how Kubernetes stops a pod) drains and then returns from here, so the program
    // exits 0 after a clean drain; the JVM's own handling would exit 143. Any other way the JVM
    // stops (SIGINT, System.exit) still drains in the shutdown hook.
    TerminationSignal.onTerm(drain);
    Runtime.getRuntime().addShutdownHook(new Thread(drain, "portcullis-shutdown"));
    if (operator != null) {
      String pod = FleetConfigSource.podName();
      FleetConfigSource.Options options =
          FleetConfigSource.Options.DEFAULTS.withTrustedCa(operatorCaFile);
      try (var source = FleetConfigSource.start(operator, fleetTokenFile, pod, gateway, options)) {
        gateway.metrics().observeFleetConnection(source::isConnected);
        LOG.info(
            "Portcullis gateway "
                + pod
                + " listening on "
                + host
                + ":"
                + gateway.port()
                + " (admin "
                + gateway.adminPort()
                + "), configuration from the operator at "
                + operator
                + "; not ready until the first snapshot is applied");
        stopped.await();
      }
      return 0;
    }
    try (var source = ManifestConfigSource.start(manifests, gateway)) {
      LOG.info(
          "Portcullis gateway listening on "
              + host
              + ":"
              + gateway.port()
              + " (admin "
              + gateway.adminPort()
              + "), manifests from "
              + manifests.toAbsolutePath()
              + ", limits "
              + (redis == null ? "in-process" : "in " + settings.limits().redactedRedisUrl()));
      stopped.await();
    }
    return 0;
  }

  /** Kubernetes-style durations such as {@code 500ms}, {@code 30s}, {@code 1m30s}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return dev.portcullis.api.Durations.parse(value);
    }
  }
}
