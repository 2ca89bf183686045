package dev.portcullis.gateway;

import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig.CacheMode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import dev.portcullis.gateway.admin.AdminService;
import dev.portcullis.gateway.cache.CacheMeters;
import dev.portcullis.gateway.cache.MiniLmSentenceEmbedder;
import dev.portcullis.gateway.cache.ResponseCache;
import dev.portcullis.gateway.capability.Capabilities;
import dev.portcullis.gateway.cost.CostCalculator;
import dev.portcullis.gateway.cost.PriceTable;
import dev.portcullis.gateway.http.HeaderDeadline;
import dev.portcullis.gateway.http.ProtocolErrorHandler;
import dev.portcullis.gateway.http.TrafficService;
import dev.portcullis.gateway.limits.LimitCounters;
import dev.portcullis.gateway.limits.LimitStore;
import dev.portcullis.gateway.limits.StoreTargetCapacity;
import dev.portcullis.gateway.limits.UsageLedger;
import dev.portcullis.gateway.pipeline.AdmissionControl;
import dev.portcullis.gateway.pipeline.ProxyPipeline;
import dev.portcullis.gateway.prompt.CompiledPrompts;
import dev.portcullis.gateway.prompt.PromptResults;
import dev.portcullis.gateway.provider.ProviderRegistry;
import dev.portcullis.gateway.provider.TranslatorRegistry;
import dev.portcullis.gateway.routing.Router;
import dev.portcullis.gateway.routing.TargetCapacity;
import dev.portcullis.gateway.routing.TargetKey;
import dev.portcullis.gateway.state.Authenticator;
import dev.portcullis.gateway.state.GatewayState;
import dev.portcullis.gateway.state.SnapshotRejectedException;
import dev.portcullis.gateway.telemetry.GatewayMetrics;
import dev.portcullis.gateway.telemetry.Telemetry;
import dev.portcullis.gateway.upstream.HttpUpstreamTransport;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A running gateway: the traffic and admin listeners, the applied configuration and graceful
 * shutdown. Where the configuration comes from (manifest folder, operator, a test) is up to the
 * caller, which hands snapshots to {@link #apply}.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
  static final String ADMIN_SOCKET = "admin";

  private final GatewaySettings settings;
  private final ProviderRegistry providers;
  private final AtomicReference<GatewayState> state = new AtomicReference<>();
  private final AtomicReference<String> lastRejection = new AtomicReference<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Router router;
  private final WebServer server;
  private final LimitCounters limitCounters = new LimitCounters();
  private final LimitStore limitStore;
  private final AdmissionControl admissions;
  private final TargetCapacity targetCapacity;
  private final List<Runnable> drainedActions = new CopyOnWriteArrayList<>();
  private final PromptResults promptResults = new PromptResults();
  private final GatewayMetrics metrics;
  private final Telemetry telemetry;

  private Gateway(GatewaySettings settings, Clock clock) {
    this.settings = settings;
    this.providers = ProviderRegistry.builtIn();
    Authenticator authenticator = new Authenticator(clock);
    this.metrics = new GatewayMetrics(clock);
    // First: an access-log file that cannot be opened fails the start before anything else opens.
    this.telemetry = settings.telemetry().open(metrics, clock);
    this.limitStore = metrics.observe(settings.limits().openStore(limitCounters), limitCounters);
    this.admissions =
        new AdmissionControl(
            limitStore,
            new CostCalculator(PriceTable.builtIn()),
            limitCounters,
            clock,
            settings.limits().defaultOutputTokens());
    this.targetCapacity = new StoreTargetCapacity(limitStore, clock);
    this.router = new Router(targetCapacity, clock);
    metrics.observeInFlight(inFlight::get);
    metrics.observePrompts(promptResults);
    metrics.observeBudgets(admissions);
    metrics.observeCooldowns(
        (route, target) -> router.cooldowns().coolingDown(new TargetKey(route, target)));
    ResponseCache cache =
        settings
            .cache()
            .open(
                settings.limits().redisUrl(),
                settings.limits().redisTimeout(),
                settings.limits().redisRetryAfter(),
                clock,
                drainedActions::add);
    CacheMeters.bind(cache, metrics.registry());
    ProxyPipeline pipeline =
        new ProxyPipeline(
            state::get,
            authenticator,
            providers,
            TranslatorRegistry.builtIn(),
            new HttpUpstreamTransport(),
            admissions,
            router,
            promptResults,
            telemetry,
            cache);
    TrafficService traffic =
        new TrafficService(
            pipeline,
            state::get,
            authenticator,
            settings.maxBodyBytes(),
            settings.server().maxHeaderBytes(),
            settings.server().readTimeout(),
            new TrafficService.Lifecycle() {
              @Override
              public TrafficService.Entry enter() {
                int now = inFlight.incrementAndGet();
                if (draining.get()) {
                  inFlight.decrementAndGet();
                  return TrafficService.Entry.DRAINING;
                }
                if (now > settings.server().maxConcurrentRequests()) {
                  inFlight.decrementAndGet();
                  return TrafficService.Entry.OVERLOADED;
                }
                return TrafficService.Entry.ADMITTED;
              }

              @Override
              public void exit() {
                inFlight.decrementAndGet();
              }
            },
            telemetry);
    AdminService admin =
        new AdminService(
            state::get, draining::get, lastRejection::get, metrics, this::trafficListenerAnswers);
    ServerLimits bounds = settings.server();
    this.server =
        WebServer.builder()
            .host(settings.host())
            .port(settings.port())
            // The gateway enforces its own body limit so the 413 comes in the caller's format.
            .maxPayloadSize(-1)
            // Each connection's socket as a stream over the channel rather than Helidon's NIO
            // socket, which holds an 8 KiB read and an 8 KiB write buffer per connection for its
            // whole life: the write buffer is one copy more per write and, with thousands of idle
            // or streaming connections, 8 KiB of heap each (README, "Connection scale").
            .useNio(false)
            // Connections that arrive in a burst (agents reconnecting after a rollout) wait in the
            // accept queue instead of being refused; the kernel caps it at net.core.somaxconn.
            .backlog(ACCEPT_BACKLOG)
            // Overload is shed with a 503 in the caller's format by the traffic service; this
            // backstop also covers requests no endpoint serves (its 503 is in OpenAI's format).
            .maxConcurrentRequests(2 * bounds.maxConcurrentRequests() + 16)
            .idleConnectionTimeout(bounds.idleTimeout())
            .idleConnectionPeriod(idleCheckPeriod(bounds.idleTimeout()))
            // TCP_NODELAY: a stream's events are small writes, one flush each; with Nagle's
            // algorithm one would wait for the client's (delayed) ACK of the one before.
            .connectionOptions(socket -> socket.readTimeout(bounds.readTimeout()).tcpNoDelay(true))
            // Headers between the gateway's limit and this one get a 431 from the traffic service.
            .addProtocol(
                Http1Config.builder()
                    .maxHeadersSize(4 * bounds.maxHeaderBytes())
                    // The server's idle timeout stops counting at a request line; the headers
                    // after it have their own deadline.
                    .addReceiveListener(new HeaderDeadline(bounds.headerTimeout()))
                    .build())
            .directHandlers(
                new ProtocolErrorHandler(
                        4 * bounds.maxHeaderBytes(), TrafficService.RETRY_AFTER, telemetry)
                    .asDirectHandlers())
            .shutdownHook(false)
            .routing(r -> r.addFilter(TrafficService::closeWhenAnnounced).register(traffic))
            .putSocket(ADMIN_SOCKET, s -> s.host(settings.host()).port(settings.adminPort()))
            .routing(ADMIN_SOCKET, r -> r.register(admin))
            .build();
  }

  /**
   * Connections the kernel may queue before the listener accepts them (Helidon's default: 1,024).
   */
  static final int ACCEPT_BACKLOG = 8192;

  /** Idle connections are looked for a few times per timeout, at most every five seconds. */
  private static Duration idleCheckPeriod(Duration idleTimeout) {
    Duration quarter = idleTimeout.dividedBy(4);
    Duration floor = Duration.ofMillis(100);
    Duration ceiling = Duration.ofSeconds(5);
    return quarter.compareTo(floor) < 0
        ? floor
        : quarter.compareTo(ceiling) > 0 ? ceiling : quarter;
  }

  /** Starts the listeners. The gateway is not ready until a snapshot is applied. */
  public static Gateway start(GatewaySettings settings) {
    return start(settings, Clock.systemUTC());
  }

  public static Gateway start(GatewaySettings settings, Clock clock) {
    Gateway gateway = new Gateway(settings, clock);
    try {
      gateway.server.start();
      // Helidon logs a listener that failed to bind and carries on; a gateway without its
      // listeners must not.
      requireListening(gateway.server, WebServer.DEFAULT_SOCKET_NAME, settings.port());
      requireListening(gateway.server, ADMIN_SOCKET, settings.adminPort());
    } catch (RuntimeException e) {
      gateway.server.stop();
      gateway.limitStore.close();
      gateway.telemetry.close();
      gateway.metrics.close();
      throw e;
    }
    return gateway;
  }

  private static void requireListening(WebServer server, String socket, int configuredPort) {
    if (!server.isRunning() || server.port(socket) < 0) {
      throw new IllegalStateException(
          "could not listen on port "
              + configuredPort
              + " ("
              + (socket.equals(WebServer.DEFAULT_SOCKET_NAME) ? "traffic" : socket)
              + "): the port is in use or not allowed");
    }
  }

  /** Per-key usage of the current period, for reporting spend next to the budget. */
  public UsageLedger usageLedger() {
    return admissions;
  }

  /** Results per prompt template version, for reporting beside the keys' usage. */
  public PromptResults promptResults() {
    return promptResults;
  }

  /**
   * Runs {@code action} during shutdown once in-flight requests have finished, while the limit
   * store is still open (the fleet's final usage report).
   */
  public void whenDrained(Runnable action) {
    drainedActions.add(action);
  }

  /** What the limits did (refusals, store outages), until metrics are wired. */
  public LimitCounters limitCounters() {
    return limitCounters;
  }

  /** Per-request observation: the pipeline begins, fills and finishes one record per request. */
  public Telemetry telemetry() {
    return telemetry;
  }

  /** The Prometheus registry served on the admin port's {@code /metrics}. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Upstream quotas of route targets, shared like the key limits; for the router. */
  public TargetCapacity targetCapacity() {
    return targetCapacity;
  }

  /**
   * Applies a snapshot atomically, or keeps the current one and throws with the reason.
   *
   * @return whether the snapshot differed from the one applied
   */
  public boolean apply(Snapshot snapshot) throws SnapshotRejectedException {
    GatewayState current = state.get();
    if (current != null && current.snapshot().version().equals(snapshot.version())) {
      return false;
    }
    CompiledPrompts previousPrompts = current == null ? CompiledPrompts.EMPTY : current.prompts();
    swap(
        snapshot,
        () -> GatewayState.compile(snapshot, providers, settings.capabilities(), previousPrompts));
    return true;
  }

  /**
   * Applies a delta to the applied snapshot atomically, re-indexing only what it names; or keeps
   * the current one and throws with the reason.
   *
   * @throws IllegalArgumentException when the delta is not based on the applied snapshot or does
   *     not fit it (nothing is applied)
   */
  public void apply(SnapshotDelta delta) throws SnapshotRejectedException {
    GatewayState current = state.get();
    if (current == null) {
      throw new IllegalArgumentException(
          "a delta to " + delta.version() + " came before any whole snapshot");
    }
    Snapshot next = delta.applyTo(current.snapshot());
    swap(next, () -> current.patch(delta, next, providers));
  }

  private interface Compilation {
    GatewayState compile() throws SnapshotRejectedException;
  }

  private void swap(Snapshot snapshot, Compilation compilation) throws SnapshotRejectedException {
    GatewayState compiled;
    try {
      compiled = compilation.compile();
    } catch (SnapshotRejectedException e) {
      lastRejection.set(snapshot.version() + ": " + e.getMessage());
      metrics.configurationRejected();
      throw e;
    }
    // Before the swap: requests on the new state may count a version the old one lacked.
    promptResults.retainServed(snapshot); // a template version's results end with it
    state.set(compiled);
    lastRejection.set(null);
    warmUpSemanticCache(snapshot);
    metrics.configurationApplied(snapshot);
    LOG.info(
        () ->
            "applied configuration "
                + snapshot.version()
                + " ("
                + snapshot.routes().size()
                + " routes, "
                + snapshot.keys().size()
                + " keys)");
  }

  /**
   * Loads the embedding model in the background the first time a snapshot has a semantic cache
   * route, so the first request on such a route does not pay for loading it (a request that comes
   * earlier waits for the same load). A gateway without semantic routes never loads it.
   */
  private static void warmUpSemanticCache(Snapshot snapshot) {
    MiniLmSentenceEmbedder model = MiniLmSentenceEmbedder.shared();
    if (model.loaded()
        || snapshot.routes().stream()
            .noneMatch(r -> r.cache() != null && r.cache().mode() == CacheMode.SEMANTIC)) {
      return;
    }
    Thread.ofVirtual()
        .name("semantic-cache-warm-up")
        .start(
            () -> {
              try {
                model.warmUp();
              } catch (RuntimeException | LinkageError e) {
                LOG.warning(
                    "the semantic cache's embedding model did not load; semantic routes are"
                        + " looked up exactly only: "
                        + e);
              }
            });
  }

  /** The applied snapshot, or null before the first. */
  public Snapshot appliedSnapshot() {
    GatewayState current = state.get();
    return current == null ? null : current.snapshot();
  }

  /** The version of the applied snapshot, or null. */
  public String appliedVersion() {
    GatewayState current = state.get();
    return current == null ? null : current.snapshot().version();
  }

  public int port() {
    return server.port();
  }

  /** How long the liveness probe waits for the traffic listener's answer. */
  private static final Duration LIVENESS_PROBE_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Whether the traffic listener still answers HTTP: a request to {@link
   * TrafficService#LIVENESS_PATH} on loopback (or the configured address), answered by the
   * listener's own threads and not recorded as a client's request. Any status counts, a 503 for
   * overload too; only no answer within {@link #LIVENESS_PROBE_TIMEOUT} (a listener whose threads
   * died) does not. One short connection per liveness probe.
   */
  boolean trafficListenerAnswers() {
    if (!server.isRunning() || server.port() < 0) {
      return false;
    }
    String host = settings.host();
    String target =
        host.equals("0.0.0.0") || host.equals("::") || host.isBlank() ? "127.0.0.1" : host;
    int timeout = (int) LIVENESS_PROBE_TIMEOUT.toMillis();
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(target, server.port()), timeout);
      probe.setSoTimeout(timeout);
      probe
          .getOutputStream()
          .write(
              ("GET "
                      + TrafficService.LIVENESS_PATH
                      + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] start = probe.getInputStream().readNBytes(9);
      return new String(start, StandardCharsets.US_ASCII).startsWith("HTTP/1.");
    } catch (IOException e) {
      return false;
    }
  }

  public int adminPort() {
    return server.port(ADMIN_SOCKET);
  }

  /**
   * Graceful shutdown: refuse new requests with 503, let in-flight ones (streams included) finish
   * within the grace period, then stop the listeners.
   */
  public void shutdown() {
    if (!draining.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (inFlight.get() > 0) {
      LOG.warning(inFlight.get() + " requests still in flight after the shutdown grace period");
    }
    for (Runnable action : drainedActions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.warning("a shutdown action failed: " + e);
      }
    }
    server.stop();
    router.close();
    limitStore.close();
    telemetry.close();
    metrics.close();
  }

  @Override
  public void close() {
    shutdown();
  }

  Duration shutdownGrace() {
    return settings.shutdownGrace();
  }

  /**
   * What this gateway enforces: {@link Capabilities#ofThisBuild()} unless its settings say less.
   */
  public GatewayCapabilities capabilities() {
    return settings.capabilities();
  }

  /** What this gateway was started with (its access-log destination, bounds, grace period). */
  public GatewaySettings settings() {
    return settings;
  }
}
