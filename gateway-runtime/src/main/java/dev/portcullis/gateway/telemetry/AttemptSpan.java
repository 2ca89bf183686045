package dev.portcullis.gateway.telemetry;

import io.opentelemetry.api.trace.Span;

/**
 * One upstream attempt as the tracer sees it: a client span (when tracing is on) and the {@code
 * traceparent} to send with the upstream request so the provider's spans, if any, join the trace.
 * Attempts of one request may run in parallel (hedging); each has its own.
 */
public final class AttemptSpan {
  static final AttemptSpan NONE = new AttemptSpan(null, null);

  final Span span;
  private final String traceparent;

  AttemptSpan(Span span, String traceparent) {
    this.span = span;
    this.traceparent = traceparent;
  }

  /** Whether this attempt has a span to end (tracing on). */
  public boolean traced() {
    return span != null;
  }

  /**
   * The {@code traceparent} header for the upstream request, or null to send none: the attempt's
   * own span when tracing is on, else the caller's header passed through unchanged.
   */
  public String traceparent() {
    return traceparent;
  }
}
