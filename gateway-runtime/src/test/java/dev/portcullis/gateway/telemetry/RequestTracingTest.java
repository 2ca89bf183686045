package dev.portcullis.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.provider.WireFormat;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestTracingTest {
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final TelemetryFixture f =
      new TelemetryFixture(
          new RequestTracing(
              OpenTelemetrySdk.builder()
                  .setTracerProvider(
                      SdkTracerProvider.builder()
                          .addSpanProcessor(SimpleSpanProcessor.create(spans))
                          .build())
                  .build()));

  @AfterEach
  void close() {
    f.close();
  }

  SpanData span(SpanKind kind) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == kind)
        .findFirst()
        .orElseThrow();
  }

  RequestRecord tracedRequest(int upstreamStatus, String upstreamError) {
    RequestRecord r = f.telemetry.begin("req-7", TelemetryFixture.CALLER_TRACEPARENT);
    r.call(WireFormat.OPENAI, GenAiOperation.CHAT, false);
    r.key(f.checkout);
    r.route(f.chat, "gpt-4o");
    AttemptSpan attempt = f.telemetry.startAttempt(r, f.primary, "gpt-4o-2024-08-06");
    f.telemetry.endAttempt(attempt, upstreamStatus, upstreamError, "gpt-4o-2024-08-06");
    r.routed(f.primary, 1, List.of("primary"));
    r.responseModel("gpt-4o-2024-08-06");
    r.usage(11, 7, 0);
    r.outcome(upstreamStatus, upstreamError);
    f.telemetry.finish(r);
    return r;
  }

  @Test
  void theServerSpanContinuesTheCallersTraceAndCarriesTheGenAiAttributes() {
    RequestRecord r = tracedRequest(200, null);

    SpanData server = span(SpanKind.SERVER);
    assertThat(server.getTraceId()).isEqualTo(TelemetryFixture.CALLER_TRACE_ID);
    assertThat(server.getParentSpanId()).isEqualTo(TelemetryFixture.CALLER_SPAN_ID);
    assertThat(server.getName()).isEqualTo("chat gpt-4o");
    Map<String, Object> attributes = attributes(server);
    assertThat(attributes)
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "openai")
        .containsEntry("gen_ai.request.model", "gpt-4o")
        .containsEntry("gen_ai.response.model", "gpt-4o-2024-08-06")
        .containsEntry("gen_ai.usage.input_tokens", 11L)
        .containsEntry("gen_ai.usage.output_tokens", 7L)
        .containsEntry("portcullis.route", "team-a/chat")
        .containsEntry("portcullis.key", "checkout")
        .containsEntry("http.response.status_code", 200L);
    assertThat(r.traceId()).isEqualTo(TelemetryFixture.CALLER_TRACE_ID);
  }

  @Test
  void eachAttemptIsAClientSpanUnderTheServerSpanAndItsTraceparentGoesUpstream() {
    RequestRecord r = f.telemetry.begin("req-8", TelemetryFixture.CALLER_TRACEPARENT);
    r.call(WireFormat.OPENAI, GenAiOperation.CHAT, false);
    AttemptSpan attempt = f.telemetry.startAttempt(r, f.primary, null);
    String traceparent = attempt.traceparent();
    f.telemetry.endAttempt(attempt, 200, null, null);
    r.outcome(200, null);
    f.telemetry.finish(r);

    SpanData client = span(SpanKind.CLIENT);
    SpanData server = span(SpanKind.SERVER);
    assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(client.getTraceId()).isEqualTo(TelemetryFixture.CALLER_TRACE_ID);
    assertThat(traceparent)
        .isEqualTo("00-" + TelemetryFixture.CALLER_TRACE_ID + "-" + client.getSpanId() + "-01");
    assertThat(client.getName()).isEqualTo("chat gpt-4o-2024-08-06");
    assertThat(attributes(client))
        .containsEntry("gen_ai.request.model", "gpt-4o-2024-08-06")
        .containsEntry("server.address", "api.openai.com")
        .containsEntry("portcullis.target", "primary");
  }

  @Test
  void aFailedAttemptAndAFailedRequestEndWithErrorStatusAndType() {
    tracedRequest(503, "upstream_unavailable");

    assertThat(span(SpanKind.CLIENT).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attributes(span(SpanKind.CLIENT)))
        .containsEntry("error.type", "upstream_unavailable");
    assertThat(span(SpanKind.SERVER).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void spansHoldNoMessageContentNoKeyAndNoCredential() {
    RequestRecord r = f.telemetry.begin("req-9", null);
    r.call(WireFormat.OPENAI, GenAiOperation.CHAT, false);
    r.key(f.checkout);
    r.route(f.chat, "gpt-4o");
    r.bodies("{\"messages\":\"secret prompt\"}", "{\"content\":\"secret answer\"}");
    f.telemetry.endAttempt(f.telemetry.startAttempt(r, f.primary, null), 200, null, null);
    r.outcome(200, null);
    f.telemetry.finish(r);

    Set<String> allowed =
        Set.of(
            "gen_ai.operation.name",
            "gen_ai.provider.name",
            "gen_ai.request.model",
            "gen_ai.response.model",
            "gen_ai.usage.input_tokens",
            "gen_ai.usage.output_tokens",
            "http.response.status_code",
            "error.type",
            "server.address",
            "portcullis.request_id",
            "portcullis.namespace",
            "portcullis.key",
            "portcullis.route",
            "portcullis.target",
            "portcullis.attempts",
            "portcullis.cache",
            "portcullis.cost_usd",
            "portcullis.prompt.version",
            "portcullis.guardrails");
    for (SpanData s : spans.getFinishedSpanItems()) {
      assertThat(allowed).containsAll(attributes(s).keySet());
      assertThat(attributes(s).values().toString())
          .doesNotContain("secret", "pc-the-virtual-key-itself", "sk-upstream-");
    }
  }

  @Test
  void withoutAnExporterTracingIsOffAndTheCallersTraceparentPassesThroughUnchanged() {
    assertThat(RequestTracing.fromEnvironment(Map.of()).enabled()).isFalse();
    Telemetry off = Telemetry.disabled();
    RequestRecord r = off.begin("r", TelemetryFixture.CALLER_TRACEPARENT);

    assertThat(off.startAttempt(r, f.primary, null).traceparent())
        .isEqualTo(TelemetryFixture.CALLER_TRACEPARENT);
    assertThat(r.traceId()).isEqualTo(TelemetryFixture.CALLER_TRACE_ID);
    RequestRecord malformed = off.begin("r2", "00-not-a-trace-01");
    assertThat(off.startAttempt(malformed, f.primary, null).traceparent()).isNull();
    assertThat(malformed.traceId()).isNull();
  }

  @Test
  void onlyAnExporterSettingTurnsTracingOn() {
    assertThat(
            RequestTracing.exporterConfigured(
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")))
        .isTrue();
    assertThat(RequestTracing.exporterConfigured(Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
    assertThat(RequestTracing.exporterConfigured(Map.of("OTEL_TRACES_EXPORTER", "none"))).isFalse();
    assertThat(
            RequestTracing.exporterConfigured(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_SDK_DISABLED", "true")))
        .isFalse();
    assertThat(RequestTracing.exporterConfigured(Map.of("OTEL_SERVICE_NAME", "gw"))).isFalse();
  }

  static Map<String, Object> attributes(SpanData span) {
    return span.getAttributes().asMap().entrySet().stream()
        .collect(
            Collectors.toMap(e -> ((AttributeKey<?>) e.getKey()).getKey(), Map.Entry::getValue));
  }
}
