package dev.portcullis.operator.metrics;

import dev.portcullis.operator.fleet.Fleet;
import dev.portcullis.operator.snapshot.SnapshotBuild;
import dev.portcullis.operator.snapshot.SnapshotBuilder.BuildTiming;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The operator's Prometheus metrics, served on {@code --metrics-port} at {@code /metrics}:
 * java-operator-sdk's reconciliation metrics (reconciliations, failures, queue, per controller),
 * the snapshot builds (time of the last build, size of the served snapshot), the config-push
 * latency (offer → a gateway's acknowledgement) and the gateways connected and in sync. JVM metrics
 * too.
 */
public final class OperatorMetrics implements AutoCloseable {
  /** The Prometheus text exposition format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final AtomicLong snapshotBytes = new AtomicLong();
  private final AtomicLong snapshotRoutes = new AtomicLong();
  private final AtomicLong snapshotKeys = new AtomicLong();
  private final Timer pushLatency;
  private final MicrometerMetrics reconciliations;
  private WebServer server;

  public OperatorMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // Per controller, not per resource: a series per resource would grow with the cluster.
    this.reconciliations = MicrometerMetrics.withoutPerResourceMetrics(registry);
    Gauge.builder("portcullis.operator.snapshot.bytes", snapshotBytes, AtomicLong::get)
        .description("Size of the served snapshot as sent whole to a gateway (JSON)")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("portcullis.operator.snapshot.routes", snapshotRoutes, AtomicLong::get)
        .description("Routes in the served snapshot")
        .register(registry);
    Gauge.builder("portcullis.operator.snapshot.keys", snapshotKeys, AtomicLong::get)
        .description("VirtualKeys in the served snapshot")
        .register(registry);
    this.pushLatency =
        Timer.builder("portcullis.operator.config.push")
            .description(
                "From offering a snapshot on a gateway's stream to that gateway's acknowledgement"
                    + " that it applied it")
            .serviceLevelObjectives(
                Duration.ofMillis(10),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5))
            .register(registry);
  }

  /** What java-operator-sdk records into (give it to the operator's configuration). */
  public Metrics reconciliations() {
    return reconciliations;
  }

  /**
   * Gateways connected to this replica and in sync with the served snapshot; the push latency of
   * every version a gateway applies; the last build's duration.
   */
  public void observe(Fleet fleet, Supplier<BuildTiming> latestBuild) {
    Gauge.builder("portcullis.operator.gateways.connected", fleet, f -> f.pods().size())
        .description("Gateways holding a configuration stream to this operator replica")
        .register(registry);
    Gauge.builder("portcullis.operator.gateways.synced", fleet, OperatorMetrics::synced)
        .description("Connected gateways that run the snapshot this replica serves")
        .register(registry);
    Gauge.builder(
            "portcullis.operator.snapshot.build.last",
            latestBuild,
            b -> {
              BuildTiming t = b.get();
              return t == null ? Double.NaN : t.buildTime().toNanos() / 1e9;
            })
        .description("How long the last snapshot build took (resolve and encode)")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
    fleet.observePushLatency(nanos -> pushLatency.record(nanos, TimeUnit.NANOSECONDS));
  }

  private static double synced(Fleet fleet) {
    SnapshotBuild current = fleet.current();
    if (current == null) {
      return 0;
    }
    List<Fleet.Pod> pods = fleet.pods();
    int n = 0;
    for (Fleet.Pod pod : pods) {
      if (current.version().equals(pod.runningVersion())) {
        n++;
      }
    }
    return n;
  }

  /** A snapshot was built and is served: its size. */
  public void snapshotBuilt(SnapshotBuild build) {
    snapshotBytes.set(build.json().length);
    snapshotRoutes.set(build.snapshot().routes().size());
    snapshotKeys.set(build.snapshot().keys().size());
  }

  /** The current values in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Serves {@code /metrics} on {@code port} (0: a free one; negative: not at all).
   *
   * @return the port it listens on, or -1
   */
  public int serve(String host, int port) {
    if (port < 0) {
      return -1;
    }
    server =
        WebServer.builder()
            .host(host)
            .port(port)
            .shutdownHook(false)
            .routing(
                r ->
                    r.get(
                        "/metrics",
                        (req, res) -> {
                          res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
                          res.send(scrape().getBytes(StandardCharsets.UTF_8));
                        }))
            .build()
            .start();
    return server.port();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop();
    }
    gc.close();
    registry.close();
  }
}
