package dev.portcullis.gateway;

import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import dev.portcullis.gateway.admin.AdminService;
import dev.portcullis.gateway.cost.CostCalculator;
import dev.portcullis.gateway.cost.PriceTable;
import dev.portcullis.gateway.http.TrafficService;
import dev.portcullis.gateway.limits.LimitCounters;
import dev.portcullis.gateway.limits.LimitStore;
import dev.portcullis.gateway.limits.StoreTargetCapacity;
import dev.portcullis.gateway.limits.UsageLedger;
import dev.portcullis.gateway.pipeline.AdmissionControl;
import dev.portcullis.gateway.pipeline.ProxyPipeline;
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
    metrics.observeBudgets(admissions);
    metrics.observeCooldowns(
        (route, target) -> router.cooldowns().coolingDown(new TargetKey(route, target)));
    ProxyPipeline pipeline =
        new ProxyPipeline(
            state::get,
            authenticator,
            providers,
            TranslatorRegistry.builtIn(),
            new HttpUpstreamTransport(),
            admissions,
            router,
            telemetry);
    TrafficService traffic =
        new TrafficService(
            pipeline,
            state::get,
            authenticator,
            settings.maxBodyBytes(),
            new TrafficService.Lifecycle() {
              @Override
              public boolean enter() {
                inFlight.incrementAndGet();
                if (draining.get()) {
                  inFlight.decrementAndGet();
                  return false;
                }
                return true;
              }

              @Override
              public void exit() {
                inFlight.decrementAndGet();
              }
            });
    AdminService admin = new AdminService(state::get, draining::get, lastRejection::get, metrics);
    this.server =
        WebServer.builder()
            .host(settings.host())
            .port(settings.port())
            // The gateway enforces its own body limit so the 413 comes in the caller's format.
            .maxPayloadSize(-1)
            .shutdownHook(false)
            .routing(r -> r.register(traffic))
            .putSocket(ADMIN_SOCKET, s -> s.host(settings.host()).port(settings.adminPort()))
            .routing(ADMIN_SOCKET, r -> r.register(admin))
            .build();
  }

  /** Starts the listeners. The gateway is not ready until a snapshot is applied. */
  public static Gateway start(GatewaySettings settings) {
    return start(settings, Clock.systemUTC());
  }

  public static Gateway start(GatewaySettings settings, Clock clock) {
    Gateway gateway = new Gateway(settings, clock);
    try {
      gateway.server.start();
    } catch (RuntimeException e) {
      gateway.limitStore.close();
      gateway.telemetry.close();
      gateway.metrics.close();
      throw e;
    }
    return gateway;
  }

  /** Per-key usage of the current period, for reporting spend next to the budget. */
  public UsageLedger usageLedger() {
    return admissions;
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
    swap(snapshot, () -> GatewayState.compile(snapshot, providers));
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
    state.set(compiled);
    lastRejection.set(null);
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
}
