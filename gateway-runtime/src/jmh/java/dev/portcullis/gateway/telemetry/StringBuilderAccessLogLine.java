package dev.portcullis.gateway.telemetry;

import dev.portcullis.gateway.cost.UsdAmount;
import java.time.Instant;
import java.util.List;

/**
 * The access-log line as it was built before it was written with a JsonGenerator (a StringBuilder,
 * then a String, then its UTF-8 bytes per request), kept as the baseline of {@link
 * AccessLogLineBenchmark}.
 *
 * <p>Its former description: one request as one line of JSON. Fields are always present (null when unknown) so that log
 * pipelines see one schema. Never a key or a credential: the record holds neither. Bodies only when
 * the route opts in ({@code logging.bodies: true}).
 */
final class StringBuilderAccessLogLine {
  private StringBuilderAccessLogLine() {}

  static String of(RequestRecord r) {
    StringBuilder out = new StringBuilder(640);
    out.append('{');
    field(out, "ts", Instant.ofEpochMilli(r.startEpochMillis()).toString(), true);
    field(out, "request_id", r.requestId(), false);
    field(out, "trace_id", r.traceId(), false);
    field(
        out,
        "client_format",
        r.clientFormat() == null ? null : r.clientFormat().name().toLowerCase(),
        false);
    field(out, "operation", r.operation() == null ? null : r.operation().value(), false);
    field(out, "namespace", r.key() == null ? null : r.key().id().namespace(), false);
    field(out, "key", r.key() == null ? null : r.key().id().name(), false);
    field(out, "key_id", r.key() == null ? null : r.key().keyId(), false);
    field(out, "route", r.route() == null ? null : r.route().id().qualifiedName(), false);
    field(out, "request_model", r.requestModel(), false);
    field(out, "target", r.target() == null ? null : r.target().name(), false);
    field(out, "provider", r.target() == null ? null : r.target().provider(), false);
    field(out, "response_model", r.responseModel(), false);
    list(out, "targets_tried", r.targetsTried());
    number(out, "attempts", r.attempts());
    number(out, "retries", r.retries());
    number(out, "fallbacks", r.fallbacks());
    number(out, "hedges", r.hedges());
    number(out, "status", r.status());
    field(out, "error_type", r.errorType(), false);
    field(
        out,
        "limit_refusal",
        r.limitRefusal() == null || r.limitRefusal().name().equals("NONE")
            ? null
            : r.limitRefusal().name().toLowerCase(),
        false);
    millis(out, "latency_ms", r.durationNanos());
    long ttft = r.timeToFirstTokenNanos();
    if (ttft < 0) {
      out.append(",\"ttft_ms\":null");
    } else {
      millis(out, "ttft_ms", ttft);
    }
    out.append(",\"stream\":").append(r.streamed());
    number(out, "input_tokens", r.inputTokens());
    number(out, "output_tokens", r.outputTokens());
    number(out, "cached_input_tokens", r.cachedInputTokens());
    field(out, "cost_usd", UsdAmount.format(r.costNanos()), false);
    field(out, "cache", r.cacheStatus(), false);
    list(out, "guardrails", r.guardrailVerdicts());
    field(out, "prompt_template", r.promptTemplate(), false);
    field(out, "prompt_version", r.promptVersion(), false);
    if (r.route() != null && r.route().logBodies()) {
      field(out, "request_body", r.requestBody(), false);
      field(out, "response_body", r.responseBody(), false);
    }
    out.append('}');
    return out.toString();
  }

  private static void field(StringBuilder out, String name, String value, boolean first) {
    if (!first) {
      out.append(',');
    }
    out.append('"').append(name).append("\":");
    if (value == null) {
      out.append("null");
    } else {
      quote(out, value);
    }
  }

  private static void number(StringBuilder out, String name, long value) {
    out.append(",\"").append(name).append("\":").append(value);
  }

  private static void millis(StringBuilder out, String name, long nanos) {
    // Three decimals: microsecond resolution is plenty for a log line.
    long micros = nanos / 1000;
    out.append(",\"").append(name).append("\":").append(micros / 1000).append('.');
    long frac = micros % 1000;
    if (frac < 100) {
      out.append('0');
    }
    if (frac < 10) {
      out.append('0');
    }
    out.append(frac);
  }

  private static void list(StringBuilder out, String name, List<String> values) {
    out.append(",\"").append(name).append("\":[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      quote(out, values.get(i));
    }
    out.append(']');
  }

  private static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
