package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.TargetConfig;
import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Telemetry on: per-request metrics (unless turned off), the access log and traces, each derived
 * from the finished {@link RequestRecord}. A failure to observe is logged, never thrown into the
 * request.
 */
final class RecordingTelemetry implements Telemetry {
  private static final Logger LOG = Logger.getLogger(RecordingTelemetry.class.getName());

  private final RequestMetrics metrics;
  private final AccessLog accessLog;
  private final RequestTracing tracing;
  private final Clock clock;
  private final LongSupplier nanoTime;

  /**
   * @param metrics null: no per-request metrics
   */
  RecordingTelemetry(
      RequestMetrics metrics,
      AccessLog accessLog,
      RequestTracing tracing,
      Clock clock,
      LongSupplier nanoTime) {
    this.metrics = metrics;
    this.accessLog = accessLog;
    this.tracing = tracing;
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  @Override
  public RequestRecord begin(String requestId, String traceparent) {
    long start = nanoTime.getAsLong();
    return new RequestRecord(
        requestId,
        start,
        clock.millis(),
        traceparent,
        tracing.startServerSpan(traceparent, requestId));
  }

  @Override
  public AttemptSpan startAttempt(RequestRecord record, TargetConfig target, String upstreamModel) {
    return tracing.startAttempt(record, target, upstreamModel);
  }

  @Override
  public void endAttempt(AttemptSpan attempt, int status, String errorType, String model) {
    tracing.endAttempt(attempt, status, errorType, model);
  }

  @Override
  public void finish(RequestRecord record) {
    if (!record.markFinished()) {
      return;
    }
    record.end(nanoTime.getAsLong());
    try {
      if (metrics != null) {
        metrics.record(record);
      }
      accessLog.write(record);
      tracing.endServerSpan(record);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not record request " + record.requestId(), e);
    }
  }

  /** Pushes buffered log lines and spans out (tests; shutdown does it too). */
  void flush() {
    accessLog.flush();
    tracing.flush();
  }

  @Override
  public void close() {
    accessLog.close();
    tracing.close();
  }
}
