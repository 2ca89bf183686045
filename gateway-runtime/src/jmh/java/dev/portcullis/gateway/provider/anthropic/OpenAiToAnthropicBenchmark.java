package dev.portcullis.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * An OpenAI client on an Anthropic upstream: the chat request translated to a Messages request
 * (from the parsed body, as the pipeline hands it over), and one streamed text delta translated to
 * an OpenAI chunk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpenAiToAnthropicBenchmark {
  private final OpenAiToAnthropicTranslator translator = new OpenAiToAnthropicTranslator();
  private ObjectNode request;
  private StreamTranslator stream;
  private SseEvent delta;

  @Setup
  public void setUp() throws Exception {
    request =
        (ObjectNode)
            Jackson.MAPPER.readTree(
                """
                {"model":"claude-sonnet-4","max_tokens":512,"temperature":0.3,"stream":true,
                 "messages":[
                  {"role":"system","content":"You are a helpful assistant. Answer briefly."},
                  {"role":"user","content":"What does a gateway add to an LLM call?"},
                  {"role":"assistant","content":"Authentication, limits, routing and accounting."},
                  {"role":"user","content":[{"type":"text","text":"And at what latency cost?"}]}],
                 "tools":[{"type":"function","function":{"name":"lookup","description":"Look up",
                  "parameters":{"type":"object","properties":{"q":{"type":"string"}}}}}]}
                """);
    stream = translator.stream(Operation.CHAT, "claude-sonnet-4", request);
    stream.onEvent(
        SseEvent.named(
            "message_start",
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4\",\"content\":[],"
                + "\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}"));
    stream.onEvent(
        SseEvent.named(
            "content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    delta =
        SseEvent.named(
            "content_block_delta",
            "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Usually well under a millisecond\"}}");
  }

  @Benchmark
  public ObjectNode chatRequest() {
    return translator.request(Operation.CHAT, request.deepCopy());
  }

  @Benchmark
  public List<SseEvent> streamTextDelta() {
    return stream.onEvent(delta);
  }
}
