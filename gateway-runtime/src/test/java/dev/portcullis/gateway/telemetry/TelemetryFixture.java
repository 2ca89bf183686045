package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.JsonTree;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A configuration (route team-a/chat with an OpenAI and an Anthropic target, key team-a/checkout,
 * policy team-a/pii), a hand-moved nano clock and a telemetry that records into a fresh registry
 * and an in-memory access log.
 */
final class TelemetryFixture implements AutoCloseable {
  static final String CALLER_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CALLER_SPAN_ID = "00f067aa0ba902b7";
  static final String CALLER_TRACEPARENT = "00-" + CALLER_TRACE_ID + "-" + CALLER_SPAN_ID + "-01";

  final Snapshot snapshot;
  final RouteConfig chat;
  final TargetConfig primary;
  final TargetConfig secondary;
  final KeyConfig checkout;
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final GatewayMetrics metrics =
      new GatewayMetrics(Clock.fixed(Instant.parse("2026-12-06T04:00:00Z"), ZoneOffset.UTC));
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  final AccessLog accessLog = AccessLog.to(log);
  final RecordingTelemetry telemetry;

  TelemetryFixture() {
    this(RequestTracing.OFF);
  }

  TelemetryFixture(RequestTracing tracing) {
    this(tracing, false);
  }

  TelemetryFixture(RequestTracing tracing, boolean logBodies) {
    Snapshot base =
        TestSnapshots.builder()
            .route(
                "team-a",
                "chat",
                "gpt-4o",
                Mode.FALLBACK,
                TestSnapshots.provider(
                    "primary", "openai", "gpt-4o-2024-08-06", "https://api.openai.com/v1"),
                TestSnapshots.provider(
                    "secondary", "anthropic", "claude-sonnet-4", "https://api.anthropic.com"))
            .key("team-a", "checkout", "pc-the-virtual-key-itself")
            .build();
    RouteConfig r = base.routes().getFirst();
    RouteConfig route =
        new RouteConfig(
            r.id(),
            r.model(),
            List.of("chat-default"),
            r.strategy(),
            r.targets(),
            r.retry(),
            r.cooldown(),
            r.timeout(),
            r.cache(),
            r.inputGuardrails(),
            r.outputGuardrails(),
            r.promptTemplate(),
            r.accessNamespaces(),
            logBodies);
    GuardrailPolicyConfig pii =
        new GuardrailPolicyConfig(
            new ResourceId("team-a", "pii", 1),
            List.of(
                new GuardrailPolicyConfig.Check(
                    "no-pii",
                    Set.of(GuardrailPolicyConfig.Stage.INPUT),
                    GuardrailPolicyConfig.Action.REDACT,
                    "pii",
                    JsonTree.EMPTY)),
            null);
    this.snapshot =
        new Snapshot(
            Snapshot.SCHEMA_VERSION,
            base.version(),
            List.of(route),
            base.keys(),
            List.of(pii),
            List.of());
    this.chat = route;
    this.primary = route.targets().get(0);
    this.secondary = route.targets().get(1);
    this.checkout = snapshot.keys().getFirst();
    this.telemetry =
        new RecordingTelemetry(metrics.requests(), accessLog, tracing, metrics.clock(), nanos::get);
    metrics.configurationApplied(snapshot);
    metrics.beforeScrape(() -> telemetry.awaitRecorded(5_000));
  }

  /** A chat request served by the primary target after {@code millis}, with usage. */
  RequestRecord servedChat(String requestModel, long millis, long input, long output) {
    RequestRecord r = telemetry.begin("req-" + nanos.get(), null);
    r.call(WireFormat.OPENAI, GenAiOperation.CHAT, false);
    r.key(checkout);
    r.route(chat, requestModel);
    r.routed(primary, 1, List.of("primary"));
    r.responseModel("gpt-4o-2024-08-06");
    r.usage(input, output, 0);
    r.cost(1_250_000);
    r.outcome(200, null);
    advanceMillis(millis);
    return r;
  }

  void advanceMillis(long millis) {
    nanos.addAndGet(millis * 1_000_000);
  }

  String logText() {
    telemetry.flush();
    return log.toString(StandardCharsets.UTF_8);
  }

  double counter(String name, String... tags) {
    return registry().get(name).tags(tags).counter().count();
  }

  /** The registry once every finished record is in it (they are recorded off the caller). */
  io.micrometer.core.instrument.MeterRegistry registry() {
    telemetry.awaitRecorded(5_000);
    return metrics.registry();
  }

  @Override
  public void close() {
    telemetry.close();
    metrics.close();
  }
}
