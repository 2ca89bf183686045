package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What telemetry adds to one request: begin, the stages' setters, finish. {@code off} is {@link
 * Telemetry#disabled()}; {@code metrics} records the per-request metrics; {@code metrics+log} also
 * formats and buffers the access-log line (to a stream that discards it).
 *
 * <p>{@link #request} alone finishes records faster than any writer thread can take them, so its
 * queue is full and the request's thread records the metrics itself (the overflow path). {@link
 * #requestAmongWork} spends {@value #WORK_TOKENS} tokens of {@link Blackhole#consumeCPU} first, as a
 * request's other work would, so the writer keeps up: its time minus {@code off}'s is what
 * telemetry costs the request's thread in a gateway. {@code -prof gc} counts every thread's
 * allocation, the writer's too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TelemetryFinishBenchmark {
  @Param({"off", "metrics", "metrics+log"})
  String telemetry;

  private GatewayMetrics metrics;
  private Telemetry observer;
  private RouteConfig route;
  private KeyConfig key;

  @Setup
  public void setUp() {
    TestSnapshots builder = TestSnapshots.builder();
    for (int i = 0; i < 100; i++) {
      builder.route(
          "team-" + (i % 10),
          "route-" + i,
          "model-" + i,
          StrategyConfig.Mode.FALLBACK,
          TestSnapshots.provider("primary", "openai", "gpt-4o", null),
          TestSnapshots.provider("secondary", "anthropic", "claude-sonnet-4", null));
    }
    for (int i = 0; i < 1000; i++) {
      builder.key("team-" + (i % 10), "app-" + i, "pc-bench-" + i);
    }
    Snapshot snapshot = builder.build();
    metrics = new GatewayMetrics(Clock.systemUTC());
    metrics.configurationApplied(snapshot);
    route = snapshot.routes().get(42);
    key = snapshot.keys().get(420);
    observer =
        switch (telemetry) {
          case "off" -> Telemetry.disabled();
          case "metrics" ->
              new RecordingTelemetry(
                  metrics.requests(),
                  AccessLog.off(),
                  RequestTracing.OFF,
                  Clock.systemUTC(),
                  System::nanoTime);
          default ->
              new RecordingTelemetry(
                  metrics.requests(),
                  AccessLog.to(OutputStream.nullOutputStream()),
                  RequestTracing.OFF,
                  Clock.systemUTC(),
                  System::nanoTime);
        };
  }

  /** Waits until the writer thread has written every finished record (for {@link TelemetryCpuTime}). */
  void drain() {
    if (observer instanceof RecordingTelemetry recording) {
      recording.flush();
    }
  }

  @TearDown
  public void tearDown() {
    observer.close();
    metrics.close();
  }

  static final long WORK_TOKENS = 2_000;

  @Benchmark
  public RequestRecord requestAmongWork() {
    Blackhole.consumeCPU(WORK_TOKENS);
    return request();
  }

  @Benchmark
  public RequestRecord request() {
    RequestRecord r = observer.begin("req-1", null);
    r.call(WireFormat.OPENAI, GenAiOperation.CHAT, true);
    r.key(key);
    r.route(route, route.model());
    r.routed(route.targets().getFirst(), 1, List.of("primary"));
    r.firstToken(System.nanoTime());
    r.responseModel("gpt-4o");
    r.usage(120, 48, 0);
    r.cost(1_250_000);
    r.outcome(200, null);
    observer.finish(r);
    return r;
  }
}
