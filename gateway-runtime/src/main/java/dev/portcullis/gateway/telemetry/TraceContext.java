package dev.portcullis.gateway.telemetry;

import io.opentelemetry.api.trace.SpanContext;

/**
 * The W3C {@code traceparent} header ({@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex
 * flags>}), read and written without the OpenTelemetry SDK so that it costs nothing when tracing is
 * off.
 */
final class TraceContext {
  private static final String INVALID_TRACE_ID = "00000000000000000000000000000000";

  private TraceContext() {}

  /** The trace id of a well-formed {@code traceparent}, or null. */
  static String traceIdOf(String traceparent) {
    if (!wellFormed(traceparent)) {
      return null;
    }
    String id = traceparent.substring(3, 35);
    return INVALID_TRACE_ID.equals(id) ? null : id;
  }

  /** Whether the header has the version-00 shape and only lower-case hex where hex belongs. */
  static boolean wellFormed(String traceparent) {
    if (traceparent == null || traceparent.length() < 55) {
      return false;
    }
    if (traceparent.length() > 55 && traceparent.charAt(55) != '-') {
      return false;
    }
    if (traceparent.charAt(2) != '-'
        || traceparent.charAt(35) != '-'
        || traceparent.charAt(52) != '-') {
      return false;
    }
    for (int i = 0; i < 55; i++) {
      if (i == 2 || i == 35 || i == 52) {
        continue;
      }
      char c = traceparent.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return !traceparent.startsWith("ff");
  }

  /** The header that makes {@code context} the parent of the receiver's spans. */
  static String traceparentOf(SpanContext context) {
    return "00-"
        + context.getTraceId()
        + "-"
        + context.getSpanId()
        + "-"
        + context.getTraceFlags().asHex();
  }
}
