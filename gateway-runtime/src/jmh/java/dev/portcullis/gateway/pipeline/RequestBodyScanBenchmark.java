package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.endpoint.Endpoints;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Finding the model (and checking field types) in an OpenAI chat body with one streaming pass, and
 * rewriting the model bytes for a same-format upstream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestBodyScanBenchmark {
  /** Chat turns in the body: a short prompt and a long conversation. */
  @Param({"1", "40"})
  int turns;

  private byte[] body;
  private Map<String, RequestBody.FieldType> types;

  @Setup
  public void setUp() {
    StringBuilder messages = new StringBuilder();
    for (int i = 0; i < turns; i++) {
      if (i > 0) {
        messages.append(',');
      }
      messages
          .append("{\"role\":\"")
          .append(i % 2 == 0 ? "user" : "assistant")
          .append("\",\"content\":\"Turn ")
          .append(i)
          .append(": tell me more about the benchmark and what it measures.\"}");
    }
    body =
        ("{\"model\":\"gpt-4o-mini\",\"messages\":["
                + messages
                + "],\"temperature\":0.2,\"max_tokens\":256,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}")
            .getBytes(StandardCharsets.UTF_8);
    types = Endpoints.builtIn().of(WireFormat.OPENAI, Operation.CHAT).schema().types();
  }

  @Benchmark
  public RequestBody scan() {
    return RequestBody.scan(body, types);
  }

  @Benchmark
  public byte[] scanAndRewriteModel() {
    return RequestBody.scan(body, types).withModel("gpt-4o-mini-2024-07-18");
  }
}
