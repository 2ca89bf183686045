package dev.portcullis.gateway.telemetry;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Building one access-log line of a typical finished request (key, route, target, tokens, cost,
 * a guardrail verdict, a caller trace id) and handing its bytes to a stream: {@code jsonGenerator}
 * is the log's {@link AccessLogLine} (a reused generator and buffer), {@code stringBuilder} the
 * former StringBuilder → String → UTF-8 bytes of {@link StringBuilderAccessLogLine}. Run with
 * {@code -prof gc} to see the bytes allocated per line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AccessLogLineBenchmark {
  private final OutputStream sink = OutputStream.nullOutputStream();
  private final AccessLogLine line = new AccessLogLine();
  private RequestRecord record;

  @Setup
  public void setUp() {
    TestSnapshots builder = TestSnapshots.builder();
    builder.route(
        "team-a",
        "chat",
        "gpt-4o",
        StrategyConfig.Mode.FALLBACK,
        TestSnapshots.provider("primary", "openai", "gpt-4o", null),
        TestSnapshots.provider("secondary", "anthropic", "claude-sonnet-4", null));
    builder.key("team-a", "checkout", "pc-bench-key");
    Snapshot snapshot = builder.build();
    RouteConfig route = snapshot.routes().getFirst();
    KeyConfig key = snapshot.keys().getFirst();
    RecordingTelemetry telemetry =
        new RecordingTelemetry(
            null, AccessLog.off(), RequestTracing.OFF, Clock.systemUTC(), System::nanoTime);
    RequestRecord r =
        telemetry.begin(
            "req_5f0c2a9b7d4e6f8a0b1c2d3e", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    r.call(WireFormat.OPENAI, GenAiOperation.CHAT, true);
    r.key(key);
    r.route(route, "gpt-4o");
    r.routed(route.targets().getFirst(), 1, List.of("primary"));
    r.firstToken(System.nanoTime());
    r.responseModel("gpt-4o-2024-08-06");
    r.usage(1200, 480, 256);
    r.cost(1_250_000);
    r.cache("MISS", 0);
    r.guardrailVerdict("redacted:team-a/pii/no-pii");
    r.outcome(200, null);
    telemetry.finish(r);
    record = r;
  }

  @Benchmark
  public void jsonGenerator() throws IOException {
    line.writeTo(record, sink);
  }

  @Benchmark
  public void stringBuilder(Blackhole hole) throws IOException {
    byte[] bytes =
        (StringBuilderAccessLogLine.of(record) + "\n").getBytes(StandardCharsets.UTF_8);
    sink.write(bytes);
    hole.consume(bytes);
  }
}
