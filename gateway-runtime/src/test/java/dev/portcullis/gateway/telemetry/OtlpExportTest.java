package dev.portcullis.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.gateway.provider.WireFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spans leave the gateway over real OTLP/HTTP (protobuf) and reach a receiver that decodes them
 * with the OpenTelemetry protocol's own classes, as a collector would.
 */
class OtlpExportTest {
  final List<Span> received = new CopyOnWriteArrayList<>();
  final List<String> paths = new CopyOnWriteArrayList<>();
  HttpServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          paths.add(exchange.getRequestURI().getPath());
          InputStream body = exchange.getRequestBody();
          if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            body = new GZIPInputStream(body);
          }
          ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
          request.getResourceSpansList().stream()
              .flatMap(r -> r.getScopeSpansList().stream())
              .flatMap(s -> s.getSpansList().stream())
              .forEach(received::add);
          byte[] reply = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  static String hex(com.google.protobuf.ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  @Test
  void spansReachAnOtlpReceiverInTheCallersTrace() {
    Map<String, String> env =
        Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://127.0.0.1:" + receiver.getAddress().getPort(),
            "OTEL_EXPORTER_OTLP_PROTOCOL",
            "http/protobuf",
            "OTEL_BSP_SCHEDULE_DELAY",
            "100");
    try (TelemetryFixture f = new TelemetryFixture();
        Telemetry telemetry =
            new TelemetrySettings(false, "off", env).open(f.metrics, Clock.systemUTC())) {
      RequestRecord r = telemetry.begin("req-otlp", TelemetryFixture.CALLER_TRACEPARENT);
      r.call(WireFormat.OPENAI, GenAiOperation.CHAT, false);
      r.key(f.checkout);
      r.route(f.chat, "gpt-4o");
      AttemptSpan attempt = telemetry.startAttempt(r, f.primary, "gpt-4o-2024-08-06");
      telemetry.endAttempt(attempt, 200, null, "gpt-4o-2024-08-06");
      r.routed(f.primary, 1, List.of("primary"));
      r.usage(11, 7, 0);
      r.outcome(200, null);
      telemetry.finish(r);
      ((RecordingTelemetry) telemetry).flush();

      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 2);
      assertThat(paths).allMatch("/v1/traces"::equals);
      Span server =
          received.stream()
              .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
              .findFirst()
              .orElseThrow();
      Span client =
          received.stream()
              .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
              .findFirst()
              .orElseThrow();
      assertThat(hex(server.getTraceId())).isEqualTo(TelemetryFixture.CALLER_TRACE_ID);
      assertThat(hex(server.getParentSpanId())).isEqualTo(TelemetryFixture.CALLER_SPAN_ID);
      assertThat(hex(client.getTraceId())).isEqualTo(TelemetryFixture.CALLER_TRACE_ID);
      assertThat(hex(client.getParentSpanId())).isEqualTo(hex(server.getSpanId()));
      assertThat(attempt.traceparent()).contains(hex(client.getSpanId()));
      assertThat(server.getAttributesList())
          .anyMatch(
              a ->
                  a.getKey().equals("gen_ai.usage.input_tokens")
                      && a.getValue().getIntValue() == 11);
    }
  }

  @Test
  void aProtocolThisBuildCannotSpeakLeavesTracingOffInsteadOfFailingTheGateway() {
    RequestTracing tracing =
        RequestTracing.fromEnvironment(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:" + receiver.getAddress().getPort(),
                "OTEL_EXPORTER_OTLP_PROTOCOL",
                "http/json"));

    assertThat(tracing.enabled()).isFalse();
  }
}
