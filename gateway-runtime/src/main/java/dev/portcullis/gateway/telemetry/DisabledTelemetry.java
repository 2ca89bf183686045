package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.TargetConfig;

/**
 * Telemetry off: a record is allocated (stages write to it as usual) but no clock is read and
 * nothing is emitted. The caller's {@code traceparent} still reaches the upstream unchanged.
 */
final class DisabledTelemetry implements Telemetry {
  static final DisabledTelemetry INSTANCE = new DisabledTelemetry();

  private DisabledTelemetry() {}

  @Override
  public RequestRecord begin(String requestId, String traceparent) {
    return new RequestRecord(requestId, 0, 0, traceparent, null);
  }

  @Override
  public AttemptSpan startAttempt(RequestRecord record, TargetConfig target, String upstreamModel) {
    return RequestTracing.OFF.startAttempt(record, target, upstreamModel);
  }

  @Override
  public void endAttempt(AttemptSpan attempt, int status, String errorType, String model) {}

  @Override
  public void finish(RequestRecord record) {}

  @Override
  public boolean records() {
    return false;
  }
}
