package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.TargetConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * OpenTelemetry traces: a server span per request that continues the caller's {@code traceparent},
 * and a client span per upstream attempt with the GenAI span attributes. Configured by the standard
 * {@code OTEL_*} environment variables through the SDK's autoconfiguration; without an exporter
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} or {@code
 * OTEL_TRACES_EXPORTER}) there is no SDK at all and every call returns at once. Message content is
 * never recorded.
 */
final class RequestTracing implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RequestTracing.class.getName());
  static final RequestTracing OFF = new RequestTracing(null);

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("portcullis.request_id");
  static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("portcullis.namespace");
  static final AttributeKey<String> KEY = AttributeKey.stringKey("portcullis.key");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("portcullis.route");
  static final AttributeKey<String> TARGET = AttributeKey.stringKey("portcullis.target");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("portcullis.attempts");
  static final AttributeKey<String> CACHE = AttributeKey.stringKey("portcullis.cache");
  static final AttributeKey<String> COST = AttributeKey.stringKey("portcullis.cost_usd");
  static final AttributeKey<String> PROMPT_VERSION =
      AttributeKey.stringKey("portcullis.prompt.version");
  static final AttributeKey<List<String>> GUARDRAILS =
      AttributeKey.stringArrayKey("portcullis.guardrails");

  private static final TextMapGetter<String> TRACEPARENT_ONLY =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
          return "traceparent".equals(key) ? carrier : null;
        }
      };

  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;

  RequestTracing(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
    this.tracer = sdk == null ? null : sdk.getTracer("dev.portcullis.gateway");
  }

  /**
   * Tracing as the {@code OTEL_*} variables in {@code environment} describe, or off when they name
   * no exporter, set {@code OTEL_SDK_DISABLED=true} or {@code OTEL_TRACES_EXPORTER=none}. A
   * configuration the SDK cannot build is logged and leaves tracing off.
   */
  static RequestTracing fromEnvironment(Map<String, String> environment) {
    if (!exporterConfigured(environment)) {
      return OFF;
    }
    Map<String, String> properties = new HashMap<>();
    // The gateway's metrics are Prometheus'; the SDK only traces unless told otherwise.
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.service.name", "portcullis-gateway");
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
        });
    try {
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> properties)
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
      return new RequestTracing(sdk);
    } catch (RuntimeException e) {
      StringBuilder why = new StringBuilder(String.valueOf(e.getMessage()));
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        why.append(": ").append(cause.getMessage());
      }
      LOG.warning(
          "tracing is off: the OTEL_* settings cannot be used ("
              + why
              + "). OTLP is exported over grpc (port 4317) or http/protobuf (port 4318).");
      return OFF;
    }
  }

  static boolean exporterConfigured(Map<String, String> env) {
    if ("true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))) {
      return false;
    }
    String exporter = env.get("OTEL_TRACES_EXPORTER");
    if (exporter != null && !exporter.isBlank()) {
      return !exporter.trim().equalsIgnoreCase("none");
    }
    return notBlank(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
        || notBlank(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  boolean enabled() {
    return tracer != null;
  }

  /** The request's server span, child of the caller's span when it sent a valid traceparent. */
  Span startServerSpan(String traceparent, String requestId) {
    if (tracer == null) {
      return null;
    }
    Context parent =
        traceparent == null
            ? Context.root()
            : W3CTraceContextPropagator.getInstance()
                .extract(Context.root(), traceparent, TRACEPARENT_ONLY);
    return tracer
        .spanBuilder("gateway")
        .setSpanKind(SpanKind.SERVER)
        .setParent(parent)
        .setAttribute(REQUEST_ID, requestId)
        .startSpan();
  }

  AttemptSpan startAttempt(RequestRecord record, TargetConfig target, String upstreamModel) {
    if (tracer == null || record.serverSpan == null) {
      String passThrough = record.callerTraceparent();
      return passThrough == null || !TraceContext.wellFormed(passThrough)
          ? AttemptSpan.NONE
          : new AttemptSpan(null, passThrough);
    }
    String operation = record.operation() == null ? "chat" : record.operation().value();
    String model = upstreamModel != null ? upstreamModel : target.model();
    Span span =
        tracer
            .spanBuilder(model == null ? operation : operation + " " + model)
            .setSpanKind(SpanKind.CLIENT)
            .setParent(Context.root().with(record.serverSpan))
            .setAttribute(OPERATION, operation)
            .setAttribute(PROVIDER, GenAiProviderName.of(target.provider()))
            .setAttribute(TARGET, target.name())
            .startSpan();
    if (model != null) {
      span.setAttribute(REQUEST_MODEL, model);
    }
    String host = hostOf(target.baseUrl());
    if (host != null) {
      span.setAttribute(SERVER_ADDRESS, host);
    }
    return new AttemptSpan(span, TraceContext.traceparentOf(span.getSpanContext()));
  }

  void endAttempt(AttemptSpan attempt, int status, String errorType, String responseModel) {
    Span span = attempt.span;
    if (span == null) {
      return;
    }
    if (status > 0) {
      span.setAttribute(HTTP_STATUS, status);
    }
    if (responseModel != null) {
      span.setAttribute(RESPONSE_MODEL, responseModel);
    }
    if (errorType != null || status >= 400) {
      span.setAttribute(ERROR_TYPE, errorType != null ? errorType : Integer.toString(status));
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  /** Names and ends the server span with the record's attributes (never its bodies). */
  void endServerSpan(RequestRecord r) {
    Span span = r.serverSpan;
    if (span == null) {
      return;
    }
    String operation = r.operation() == null ? null : r.operation().value();
    String model = r.route() == null ? null : r.route().model();
    span.updateName(
        operation == null ? "gateway" : model == null ? operation : operation + " " + model);
    if (operation != null) {
      span.setAttribute(OPERATION, operation);
    }
    if (r.requestModel() != null) {
      span.setAttribute(REQUEST_MODEL, r.requestModel());
    }
    if (r.responseModel() != null) {
      span.setAttribute(RESPONSE_MODEL, r.responseModel());
    }
    if (r.target() != null) {
      span.setAttribute(PROVIDER, GenAiProviderName.of(r.target().provider()));
      span.setAttribute(TARGET, r.target().name());
    }
    if (r.key() != null) {
      span.setAttribute(NAMESPACE, r.key().id().namespace());
      span.setAttribute(KEY, r.key().id().name());
    }
    if (r.route() != null) {
      span.setAttribute(ROUTE, r.route().id().qualifiedName());
    }
    span.setAttribute(ATTEMPTS, r.attempts());
    if (r.inputTokens() > 0 || r.outputTokens() > 0) {
      span.setAttribute(INPUT_TOKENS, r.inputTokens());
      span.setAttribute(OUTPUT_TOKENS, r.outputTokens());
    }
    if (r.costNanos() > 0) {
      span.setAttribute(COST, dev.portcullis.gateway.cost.UsdAmount.format(r.costNanos()));
    }
    if (r.cacheStatus() != null) {
      span.setAttribute(CACHE, r.cacheStatus());
    }
    if (r.promptVersion() != null) {
      span.setAttribute(PROMPT_VERSION, r.promptVersion());
    }
    if (!r.guardrailVerdicts().isEmpty()) {
      span.setAttribute(GUARDRAILS, r.guardrailVerdicts());
    }
    if (r.status() > 0) {
      span.setAttribute(HTTP_STATUS, r.status());
    }
    if (!r.succeeded()) {
      span.setAttribute(
          ERROR_TYPE, r.errorType() != null ? r.errorType() : Integer.toString(r.status()));
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  private static String hostOf(String baseUrl) {
    if (baseUrl == null) {
      return null;
    }
    try {
      return URI.create(baseUrl).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Exports what is still buffered (a test or shutdown waits for it). */
  void flush() {
    if (sdk != null) {
      sdk.getSdkTracerProvider().forceFlush().join(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    if (sdk != null) {
      sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
