package dev.portcullis.gateway.cache;

import static dev.portcullis.gateway.cache.CacheKeyTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.sse.SseEvent;
import dev.portcullis.gateway.sse.SseReader;
import dev.portcullis.gateway.sse.SseWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Replayed streams read back with the project's own SSE reader, and assembled to the answer. */
class StreamReplayAndAssemblyTest {
  static final String CHAT_ANSWER =
      """
      {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06",
       "choices":[{"index":0,"message":{"role":"assistant","content":"The capital of France is Paris. 🇫🇷 It is on the Seine.","refusal":null,
         "tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":\\"Paris population\\"}"}}]},
         "logprobs":null,"finish_reason":"tool_calls"}],
       "usage":{"prompt_tokens":21,"completion_tokens":17,"total_tokens":38}}
      """;

  static final String MESSAGE_ANSWER =
      """
      {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
       "content":[{"type":"thinking","thinking":"The user wants a capital.","signature":"sig-abc"},
                  {"type":"text","text":"The capital of France is Paris."},
                  {"type":"tool_use","id":"toolu_1","name":"lookup","input":{"q":"Paris","limit":3}}],
       "stop_reason":"tool_use","stop_sequence":null,
       "usage":{"input_tokens":30,"output_tokens":25}}
      """;

  static final String COMPLETION_ANSWER =
      """
      {"id":"cmpl-1","object":"text_completion","created":1700000000,"model":"gpt-3.5-turbo-instruct",
       "choices":[{"text":" Paris, on the Seine.","index":0,"logprobs":null,"finish_reason":"stop"}],
       "usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11}}
      """;

  /** The events as a client reads them off the wire. */
  static List<SseEvent> overTheWire(List<SseEvent> events) throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (SseEvent event : events) {
      wire.write(SseWriter.encode(event));
    }
    List<SseEvent> read = new ArrayList<>();
    try (SseReader reader = new SseReader(new ByteArrayInputStream(wire.toByteArray()))) {
      for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
        read.add(e.get());
      }
    }
    return read;
  }

  private static List<JsonNode> chunks(List<SseEvent> events) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (SseEvent e : events) {
      if (!e.data().equals("[DONE]")) {
        out.add(Jackson.MAPPER.readTree(e.data()));
      }
    }
    return out;
  }

  @Test
  void aChatAnswerReplaysAsChunksThatAssembleBackToIt() throws IOException {
    ObjectNode answer = json(CHAT_ANSWER);
    List<SseEvent> events =
        overTheWire(StreamReplayer.replay(CachedOperation.OPENAI_CHAT_COMPLETIONS, answer, true));

    assertThat(events.getLast().data()).isEqualTo("[DONE]");
    List<JsonNode> chunks = chunks(events);
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
    assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(chunks)
        .filteredOn(
            c ->
                c.at("/choices/0/delta/content").isTextual()
                    && !c.at("/choices/0/delta/content").asText().isEmpty())
        .hasSizeGreaterThan(1);
    assertThat(chunks)
        .filteredOn(c -> c.at("/choices/0/delta/tool_calls/0/id").asText().equals("call_1"))
        .hasSize(1);
    JsonNode usageChunk = chunks.getLast();
    assertThat(usageChunk.path("choices")).isEmpty();
    assertThat(usageChunk.at("/usage/total_tokens").asInt()).isEqualTo(38);
    assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText())
        .isEqualTo("tool_calls");

    ObjectNode assembled =
        StreamAssembler.assemble(CachedOperation.OPENAI_CHAT_COMPLETIONS, events).orElseThrow();
    assertThat(assembled).isEqualTo(answer);
  }

  @Test
  void aChatReplayCarriesUsageOnlyWhenTheCallerAskedForIt() throws IOException {
    List<SseEvent> events =
        StreamReplayer.replay(CachedOperation.OPENAI_CHAT_COMPLETIONS, json(CHAT_ANSWER), false);
    assertThat(chunks(events)).noneMatch(c -> c.has("usage"));
    assertThat(StreamReplayer.includeUsage(json("{\"stream_options\":{\"include_usage\":true}}")))
        .isTrue();
    assertThat(StreamReplayer.includeUsage(json("{\"stream\":true}"))).isFalse();
  }

  @Test
  void anAnthropicAnswerReplaysAsTheEventsOfAMessageStream() throws IOException {
    ObjectNode answer = json(MESSAGE_ANSWER);
    List<SseEvent> events =
        overTheWire(StreamReplayer.replay(CachedOperation.ANTHROPIC_MESSAGES, answer, false));

    assertThat(events.getFirst().event()).isEqualTo("message_start");
    assertThat(
            Jackson.MAPPER
                .readTree(events.getFirst().data())
                .at("/message/usage/input_tokens")
                .asInt())
        .isEqualTo(30);
    assertThat(events.getLast().event()).isEqualTo("message_stop");
    assertThat(events.get(events.size() - 2).event()).isEqualTo("message_delta");
    assertThat(events)
        .extracting(SseEvent::event)
        .contains("content_block_start", "content_block_delta", "content_block_stop");
    assertThat(events).filteredOn(e -> e.data().contains("input_json_delta")).isNotEmpty();
    assertThat(events)
        .allSatisfy(
            e ->
                assertThat(Jackson.MAPPER.readTree(e.data()).path("type").asText())
                    .isEqualTo(e.event()));

    ObjectNode assembled =
        StreamAssembler.assemble(CachedOperation.ANTHROPIC_MESSAGES, events).orElseThrow();
    assertThat(assembled).isEqualTo(answer);
  }

  @Test
  void aTextCompletionReplaysAndAssemblesBack() throws IOException {
    ObjectNode answer = json(COMPLETION_ANSWER);
    List<SseEvent> events =
        overTheWire(StreamReplayer.replay(CachedOperation.OPENAI_COMPLETIONS, answer, true));
    assertThat(events.getLast().data()).isEqualTo("[DONE]");
    assertThat(StreamAssembler.assemble(CachedOperation.OPENAI_COMPLETIONS, events).orElseThrow())
        .isEqualTo(answer);
  }

  @Test
  void anOpenAiStreamWithoutDoneIsNotAssembled() {
    List<SseEvent> events =
        new ArrayList<>(
            StreamReplayer.replay(
                CachedOperation.OPENAI_CHAT_COMPLETIONS, json(CHAT_ANSWER), true));
    events.removeLast();
    assertThat(StreamAssembler.assemble(CachedOperation.OPENAI_CHAT_COMPLETIONS, events)).isEmpty();
  }

  @Test
  void anAnthropicStreamWithoutMessageStopOrWithAnErrorIsNotAssembled() {
    List<SseEvent> events =
        new ArrayList<>(
            StreamReplayer.replay(CachedOperation.ANTHROPIC_MESSAGES, json(MESSAGE_ANSWER), false));
    events.removeLast();
    assertThat(StreamAssembler.assemble(CachedOperation.ANTHROPIC_MESSAGES, events)).isEmpty();
    events.add(
        SseEvent.named(
            "error",
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    events.add(SseEvent.named("message_stop", "{\"type\":\"message_stop\"}"));
    assertThat(StreamAssembler.assemble(CachedOperation.ANTHROPIC_MESSAGES, events)).isEmpty();
  }

  @Test
  void anUpstreamStyleOpenAiStreamAssemblesToTheNonStreamAnswer() {
    List<SseEvent> upstream =
        List.of(
            SseEvent.data(
                "{\"id\":\"c9\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"),
            SseEvent.data(
                "{\"id\":\"c9\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}"),
            SseEvent.data(
                "{\"id\":\"c9\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}"),
            SseEvent.data(
                "{\"id\":\"c9\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"),
            SseEvent.data(
                "{\"id\":\"c9\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}"),
            SseEvent.data("[DONE]"));
    ObjectNode answer =
        StreamAssembler.assemble(CachedOperation.OPENAI_CHAT_COMPLETIONS, upstream).orElseThrow();
    assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("Hello");
    assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(answer.at("/usage/completion_tokens").asInt()).isEqualTo(2);
    assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
    assertThat(Storability.isStorable(CachedOperation.OPENAI_CHAT_COMPLETIONS, 200, answer))
        .isTrue();
  }

  @Test
  void textIsCutAtCodePointBoundaries() {
    String text = "ab🇫🇷cd😀";
    List<String> pieces = StreamReplayer.pieces(text);
    assertThat(String.join("", pieces)).isEqualTo(text);
    assertThat(pieces).allSatisfy(p -> assertThat(Character.isLowSurrogate(p.charAt(0))).isFalse());
  }
}
