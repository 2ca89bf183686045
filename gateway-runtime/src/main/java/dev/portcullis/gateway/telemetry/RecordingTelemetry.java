package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.TargetConfig;
import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Telemetry on: per-request metrics (unless turned off), the access log and traces, each derived
 * from the finished {@link RequestRecord}. The request's thread ends the server span and offers the
 * record to the {@link RecordWriter}, whose thread updates the metrics and writes the line. A
 * failure to observe is logged, never thrown into the request.
 */
final class RecordingTelemetry implements Telemetry {
  private static final Logger LOG = Logger.getLogger(RecordingTelemetry.class.getName());

  private final RecordWriter writer;
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
    this(metrics, accessLog, tracing, clock, nanoTime, RecordWriter.QUEUE_CAPACITY);
  }

  /**
   * @param metrics null: no per-request metrics
   * @param queueCapacity finished records the writer's queue holds
   */
  RecordingTelemetry(
      RequestMetrics metrics,
      AccessLog accessLog,
      RequestTracing tracing,
      Clock clock,
      LongSupplier nanoTime,
      int queueCapacity) {
    this.writer =
        metrics != null || accessLog.enabled()
            ? new RecordWriter(metrics, accessLog, queueCapacity)
            : null;
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
      tracing.endServerSpan(record);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not end the span of request " + record.requestId(), e);
    }
    if (writer != null) {
      writer.offer(record);
    }
  }

  /**
   * Waits (at most {@code timeoutMillis}) until every request finished before the call is in the
   * metrics and its line in the log's stream ({@code /metrics} calls it before a scrape).
   */
  void awaitRecorded(long timeoutMillis) {
    if (writer != null) {
      writer.awaitWritten(timeoutMillis);
    }
  }

  /** Records whose metrics their request's thread recorded because the writer's queue was full. */
  long writerOverflows() {
    return writer == null ? 0 : writer.overflows();
  }

  /** Pushes finished records, buffered log lines and spans out (tests; shutdown does it too). */
  void flush() {
    awaitRecorded(5_000);
    tracing.flush();
  }

  @Override
  public void close() {
    if (writer != null) {
      writer.close();
    }
    tracing.close();
  }
}
