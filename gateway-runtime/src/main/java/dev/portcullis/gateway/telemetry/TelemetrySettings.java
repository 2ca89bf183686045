package dev.portcullis.gateway.telemetry;

import io.micrometer.core.instrument.FunctionCounter;
import java.time.Clock;
import java.util.Map;

/**
 * How a gateway observes requests.
 *
 * @param requestMetrics whether finished requests update the per-request metrics (the JVM and
 *     configuration metrics are always served)
 * @param accessLog {@code stdout}, {@code off} or a file path ({@code --access-log})
 * @param environment where the {@code OTEL_*} tracing settings are read (the process environment)
 */
public record TelemetrySettings(
    boolean requestMetrics, String accessLog, Map<String, String> environment) {

  /** What the gateway program runs with unless told otherwise. */
  public static final TelemetrySettings DEFAULTS =
      new TelemetrySettings(true, "stdout", System.getenv());

  /** Metrics only: no access log and no tracing whatever the environment says (tests). */
  public static final TelemetrySettings METRICS_ONLY = new TelemetrySettings(true, "off", Map.of());

  /** How long a {@code /metrics} scrape waits for the records queued before it. */
  static final long SCRAPE_WAIT_MILLIS = 2_000;

  public TelemetrySettings {
    accessLog = accessLog == null || accessLog.isBlank() ? "stdout" : accessLog;
    environment = Map.copyOf(environment);
  }

  public TelemetrySettings withAccessLog(String destination) {
    return new TelemetrySettings(requestMetrics, destination, environment);
  }

  public TelemetrySettings withRequestMetrics(boolean on) {
    return new TelemetrySettings(on, accessLog, environment);
  }

  public TelemetrySettings withEnvironment(Map<String, String> env) {
    return new TelemetrySettings(requestMetrics, accessLog, env);
  }

  /**
   * Opens the access log and the tracer these settings describe, recording into {@code metrics}.
   * Everything off gives {@link Telemetry#disabled()}.
   */
  public Telemetry open(GatewayMetrics metrics, Clock clock) {
    AccessLog log = AccessLog.of(accessLog);
    if (log.enabled()) {
      FunctionCounter.builder("portcullis.access.log.dropped.lines", log, AccessLog::droppedLines)
          .description(
              "Access-log lines dropped because the writer fell behind or the stream failed")
          .register(metrics.registry());
    }
    RequestTracing tracing = RequestTracing.fromEnvironment(environment);
    if (!requestMetrics && !log.enabled() && !tracing.enabled()) {
      return Telemetry.disabled();
    }
    RecordingTelemetry telemetry =
        new RecordingTelemetry(
            requestMetrics ? metrics.requests() : null, log, tracing, clock, System::nanoTime);
    if (requestMetrics) {
      // Records are counted off the requests' threads; a scrape first waits for those finished.
      metrics.beforeScrape(() -> telemetry.awaitRecorded(SCRAPE_WAIT_MILLIS));
      FunctionCounter.builder(
              "portcullis.telemetry.queue.overflows",
              telemetry,
              RecordingTelemetry::writerOverflows)
          .description(
              "Finished requests whose metrics their own thread recorded because the telemetry"
                  + " writer's queue was full")
          .register(metrics.registry());
    }
    return telemetry;
  }
}
