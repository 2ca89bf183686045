package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.telemetry.TelemetrySettings;
import dev.portcullis.gateway.testing.TestSnapshots;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL=grpc}: the gateway's spans reach a real gRPC server (grpc-java
 * on Netty) serving the collector's {@code TraceService/Export}, decoded with the OpenTelemetry
 * protocol's own classes, in the trace of the caller's {@code traceparent}.
 */
class OtlpGrpcExportTest {
  static final String KEY = "pc-telemetry-otlp-grpc-0123456789";
  static final String CALLER_TRACE_ID = "5bf92f3577b34da6a3ce929d0e0e4737";
  static final String CALLER_SPAN_ID = "10f067aa0ba902b8";
  static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";

  final List<Span> received = new CopyOnWriteArrayList<>();
  final List<String> methods = new CopyOnWriteArrayList<>();
  Server collector;
  FakeUpstream fake;
  Gateway gateway;

  interface Parser<T> {
    T parse(InputStream in) throws IOException;
  }

  static <T extends com.google.protobuf.MessageLite> MethodDescriptor.Marshaller<T> marshaller(
      Parser<T> parser) {
    return new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(T value) {
        return new ByteArrayInputStream(value.toByteArray());
      }

      @Override
      public T parse(InputStream stream) {
        try {
          return parser.parse(stream);
        } catch (IOException e) {
          throw Status.INTERNAL.withCause(e).asRuntimeException();
        }
      }
    };
  }

  @BeforeEach
  void start() throws Exception {
    MethodDescriptor<ExportTraceServiceRequest, ExportTraceServiceResponse> export =
        MethodDescriptor.<ExportTraceServiceRequest, ExportTraceServiceResponse>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
            .setRequestMarshaller(marshaller(ExportTraceServiceRequest::parseFrom))
            .setResponseMarshaller(marshaller(ExportTraceServiceResponse::parseFrom))
            .build();
    collector =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                ServerServiceDefinition.builder(SERVICE)
                    .addMethod(
                        export,
                        ServerCalls.asyncUnaryCall(
                            (request, reply) -> {
                              methods.add(export.getFullMethodName());
                              request.getResourceSpansList().stream()
                                  .flatMap(r -> r.getScopeSpansList().stream())
                                  .flatMap(s -> s.getSpansList().stream())
                                  .forEach(received::add);
                              reply.onNext(ExportTraceServiceResponse.getDefaultInstance());
                              reply.onCompleted();
                            }))
                    .build())
            .build()
            .start();
    fake = FakeUpstream.start(0);
    Map<String, String> env =
        Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://127.0.0.1:" + collector.getPort(),
            "OTEL_EXPORTER_OTLP_PROTOCOL",
            "grpc",
            "OTEL_BSP_SCHEDULE_DELAY",
            "100");
    gateway =
        Gateway.start(
            GatewaySettings.ephemeral().withTelemetry(new TelemetrySettings(true, "off", env)));
    gateway.apply(
        TestSnapshots.builder()
            .route(
                "team-a",
                "chat",
                "gpt-4o",
                Mode.SINGLE,
                TestSnapshots.provider("openai-main", "openai", "gpt-4o", fake.baseUrl() + "/v1"))
            .key("team-a", "app", KEY)
            .build());
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    fake.close();
    collector.shutdownNow();
  }

  static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  /** A chat completion through the gateway, in the caller's trace. */
  HttpResponse<String> chat(String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + KEY)
                .header("content-type", "application/json")
                .header("traceparent", "00-" + CALLER_TRACE_ID + "-" + CALLER_SPAN_ID + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The first span of this kind the collector received, once it has a server and a client span. */
  Span span(Span.SpanKind kind) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                received.stream().anyMatch(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                    && received.stream()
                        .anyMatch(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT));
    return received.stream().filter(s -> s.getKind() == kind).findFirst().orElseThrow();
  }

  @Test
  void spansReachAGrpcCollectorInTheCallersTrace() throws Exception {
    HttpResponse<String> res =
        chat("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(res.statusCode()).isEqualTo(200);

    Span server = span(Span.SpanKind.SPAN_KIND_SERVER);
    Span client = span(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(methods).allMatch((SERVICE + "/Export")::equals);
    assertThat(hex(server.getTraceId())).isEqualTo(CALLER_TRACE_ID);
    assertThat(hex(server.getParentSpanId())).isEqualTo(CALLER_SPAN_ID);
    assertThat(hex(client.getTraceId())).isEqualTo(CALLER_TRACE_ID);
    assertThat(hex(client.getParentSpanId())).isEqualTo(hex(server.getSpanId()));
    assertThat(server.getAttributesList())
        .anyMatch(
            a ->
                a.getKey().equals("gen_ai.response.model")
                    && a.getValue().getStringValue().equals("gpt-4o"));
    // The attempt's span ends after the answer was read, so it names the model that answered.
    assertThat(client.getAttributesList())
        .anyMatch(
            a ->
                a.getKey().equals("gen_ai.response.model")
                    && a.getValue().getStringValue().equals("gpt-4o"));
    assertThat(client.getEndTimeUnixNano()).isLessThanOrEqualTo(server.getEndTimeUnixNano());
  }

  @Test
  void aStreamedAttemptsSpanCoversTheStreamAndNamesTheModelThatAnswered() throws Exception {
    HttpResponse<String> res =
        chat(
            "{\"model\":\"gpt-4o\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.body()).contains("data: [DONE]");

    Span client = span(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(client.getAttributesList())
        .anyMatch(
            a ->
                a.getKey().equals("gen_ai.response.model")
                    && a.getValue().getStringValue().equals("gpt-4o"))
        .anyMatch(a -> a.getKey().equals("http.response.status_code"));
  }
}
