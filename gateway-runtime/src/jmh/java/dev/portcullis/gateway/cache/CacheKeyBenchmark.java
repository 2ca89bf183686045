package dev.portcullis.gateway.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The exact cache key of a 4 KB chat request (system prompt, six turns, two tools, sampling
 * parameters): canonical form and SHA-256, from the parsed body the pipeline already holds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CacheKeyBenchmark {
  private ObjectNode body;
  private CacheSubject subject;

  @Setup
  public void setUp() throws Exception {
    StringBuilder messages = new StringBuilder();
    messages.append("{\"role\":\"system\",\"content\":\"").append("You are a careful assistant. ".repeat(12)).append("\"}");
    for (int i = 0; i < 6; i++) {
      messages
          .append(",{\"role\":\"")
          .append(i % 2 == 0 ? "user" : "assistant")
          .append("\",\"content\":\"")
          .append(("Turn " + i + " talks about the quarterly report and its numbers. ").repeat(8))
          .append("\"}");
    }
    String tool =
        "{\"type\":\"function\",\"function\":{\"name\":\"%s\",\"description\":\"Looks up a record by id and returns its fields.\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},\"fields\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"id\"]}}}";
    String json =
        "{\"model\":\"gpt-4o\",\"temperature\":0.2,\"top_p\":0.9,\"max_tokens\":512,\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},\"tool_choice\":\"auto\",\"messages\":["
            + messages
            + "],\"tools\":["
            + tool.formatted("lookup_record")
            + ","
            + tool.formatted("update_record")
            + "]}";
    body = (ObjectNode) Jackson.MAPPER.readTree(json);
    if (json.length() < 3800 || json.length() > 4400) {
      throw new IllegalStateException("the request should be about 4 KB, is " + json.length());
    }
    subject =
        CacheSubject.namespaceScope("team-a", "team-a/chat", CachedOperation.OPENAI_CHAT_COMPLETIONS);
  }

  @Benchmark
  public CacheKey exactKey() {
    return CacheKey.exact(subject, body);
  }
}
