package dev.portcullis.gateway.cache;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Embedding one short message with the built-in model: the semantic path's cost per request. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EmbeddingBenchmark {
  private MiniLmSentenceEmbedder embedder;

  @Setup
  public void setUp() {
    embedder = MiniLmSentenceEmbedder.shared();
    embedder.warmUp();
  }

  @Benchmark
  public float[] embedShortMessage() {
    return embedder.embed("What is the capital city of France?");
  }
}
