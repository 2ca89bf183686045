package dev.portcullis.gateway.state;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.gateway.provider.ProviderRegistry;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Authenticating a virtual key (SHA-256, hash lookup, checks) among {@code keys} keys. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyLookupBenchmark {
  @Param({"10", "10000"})
  int keys;

  private GatewayState state;
  private Authenticator authenticator;
  private String presented;

  @Setup
  public void setUp() throws Exception {
    TestSnapshots snapshot = TestSnapshots.builder();
    for (int i = 0; i < keys; i++) {
      snapshot.key("team-" + (i % 10), "app-" + i, "pc-bench-key-" + i + "-3f1e5c2a9b7d4e6f");
    }
    state = GatewayState.compile(snapshot.build(), ProviderRegistry.builtIn());
    authenticator = new Authenticator(Clock.systemUTC());
    presented = "pc-bench-key-" + (keys / 2) + "-3f1e5c2a9b7d4e6f";
  }

  @Benchmark
  public KeyConfig authenticate() {
    return authenticator.authenticate(state, presented);
  }
}
