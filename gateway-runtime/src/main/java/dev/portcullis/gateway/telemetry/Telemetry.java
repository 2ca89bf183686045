package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.TargetConfig;

/**
 * What the request pipeline tells the observability side: a {@link RequestRecord} per request
 * ({@link #begin} → stages fill it → {@link #finish}), and an {@link AttemptSpan} per upstream
 * attempt. {@code finish} derives the metrics, the access-log line and the server span from the one
 * record.
 *
 * <p>{@link #disabled()} records nothing: its records are plain objects and its calls return at
 * once.
 */
public interface Telemetry extends AutoCloseable {
  /**
   * Starts the record of one request, at the moment it arrived.
   *
   * @param traceparent the caller's W3C {@code traceparent} header, or null
   */
  RequestRecord begin(String requestId, String traceparent);

  /**
   * One upstream request is about to be sent: starts its client span. Send {@link
   * AttemptSpan#traceparent()} (when not null) as the upstream request's {@code traceparent}.
   *
   * @param upstreamModel the model named in the upstream request (null: the target's)
   */
  AttemptSpan startAttempt(RequestRecord record, TargetConfig target, String upstreamModel);

  /**
   * The upstream answered (its status) or failed (status 0 and an error type such as {@code
   * timeout} or {@code connection_error}).
   */
  void endAttempt(AttemptSpan attempt, int status, String errorType, String responseModel);

  /**
   * The request is over (the last byte was sent, or the error answered): stamps the end time and
   * emits the metrics, the access-log line and the server span. Only the first call counts.
   */
  void finish(RequestRecord record);

  /** Whether finished records go anywhere (false: {@link #disabled()}). */
  default boolean records() {
    return true;
  }

  @Override
  default void close() {}

  /** Records nothing. */
  static Telemetry disabled() {
    return DisabledTelemetry.INSTANCE;
  }
}
