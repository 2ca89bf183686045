package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.anthropic;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.events;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.parse;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicStreamTest {
  private final OpenAiToAnthropicTranslator translator = new OpenAiToAnthropicTranslator();

  private StreamTranslator stream(boolean includeUsage) {
    return translator.stream(
        Operation.CHAT,
        "gpt-4o",
        json(
            "{'model':'gpt-4o','messages':[],'stream':true,'stream_options':{'include_usage':"
                + includeUsage
                + "}}"));
  }

  /** The JSON of every event but the final [DONE]. */
  private static List<JsonNode> chunks(List<SseEvent> events) {
    return events.stream()
        .filter(e -> !e.data().equals("[DONE]"))
        .map(e -> parse(e.data()))
        .toList();
  }

  private static JsonNode delta(JsonNode chunk) {
    return chunk.get("choices").get(0).get("delta");
  }

  @Test
  void textStreamBecomesRoleChunkContentChunksFinishChunkAndDone() {
    List<SseEvent> out = run(stream(false), events("anthropic-text.sse"));

    assertThat(out).allMatch(e -> e.event() == null);
    assertThat(out.get(out.size() - 1)).isEqualTo(SseEvent.data("[DONE]"));
    List<JsonNode> chunks = chunks(out);
    assertThat(chunks).hasSize(4);
    assertThat(delta(chunks.get(0))).isEqualTo(json("{'role':'assistant','content':''}"));
    assertThat(delta(chunks.get(1))).isEqualTo(json("{'content':'Hello'}"));
    assertThat(delta(chunks.get(2))).isEqualTo(json("{'content':'!'}"));
    assertThat(delta(chunks.get(3))).isEqualTo(json("{}"));
    assertThat(chunks.get(3).get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void everyChunkCarriesTheMessageIdTheClientModelAndOneCreatedTime() {
    List<JsonNode> chunks = chunks(run(stream(false), events("anthropic-text.sse")));
    assertThat(chunks)
        .allSatisfy(
            c -> {
              assertThat(c.get("id").asText()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
              assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
              assertThat(c.get("model").asText()).isEqualTo("gpt-4o");
              assertThat(c.get("created").asLong())
                  .isEqualTo(chunks.get(0).get("created").asLong());
            });
  }

  @Test
  void textThenTwoToolCallsBecomeIndexedToolCallDeltas() {
    List<JsonNode> chunks = chunks(run(stream(false), events("anthropic-text-then-tools.sse")));

    List<JsonNode> toolDeltas =
        chunks.stream()
            .map(OpenAiToAnthropicStreamTest::delta)
            .filter(d -> d.has("tool_calls"))
            .map(d -> d.get("tool_calls").get(0))
            .toList();
    assertThat(toolDeltas)
        .containsExactly(
            json(
                "{'index':0,'id':'toolu_01T1x1fJ34qAmk2tNTrN7Up6','type':'function',"
                    + "'function':{'name':'get_weather','arguments':''}}"),
            json("{'index':0,'function':{'arguments':'{\"location\":'}}".replace("\"", "\\\"")),
            json(
                "{'index':0,'function':{'arguments':' \"San Francisco, CA\"}'}}"
                    .replace("\"", "\\\"")),
            json(
                "{'index':1,'id':'toolu_01Ab2CdEfGhIjKlMnOpQrStU','type':'function',"
                    + "'function':{'name':'get_time','arguments':''}}"),
            json(
                "{'index':1,'function':{'arguments':'{\"timezone\": \"America/Los_Angeles\"}'}}"
                    .replace("\"", "\\\"")));
    JsonNode last = chunks.get(chunks.size() - 1);
    assertThat(last.get("choices").get(0).get("finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void emptyDeltasProduceNoChunks() {
    StreamTranslator s = stream(false);
    s.onEvent(
        anthropic(
            "{'type':'message_start','message':{'id':'msg_1','type':'message','role':'assistant',"
                + "'model':'c','content':[],'usage':{'input_tokens':1,'output_tokens':1}}}"));
    assertThat(
            s.onEvent(
                anthropic(
                    "{'type':'content_block_start','index':0,'content_block':{'type':'text','text':''}}")))
        .isEmpty();
    assertThat(
            s.onEvent(
                anthropic(
                    "{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':''}}")))
        .isEmpty();
    assertThat(s.onEvent(anthropic("{'type':'content_block_stop','index':0}"))).isEmpty();
    assertThat(s.onEvent(anthropic("{'type':'ping'}"))).isEmpty();
  }

  @Test
  void thinkingBlocksAreNotForwarded() {
    StreamTranslator s = stream(false);
    s.onEvent(
        anthropic(
            "{'type':'message_start','message':{'id':'msg_1','type':'message','role':'assistant',"
                + "'model':'c','content':[],'usage':{'input_tokens':1,'output_tokens':1}}}"));
    assertThat(
            s.onEvent(
                anthropic(
                    "{'type':'content_block_start','index':0,'content_block':{'type':'thinking','thinking':''}}")))
        .isEmpty();
    assertThat(
            s.onEvent(
                anthropic(
                    "{'type':'content_block_delta','index':0,'delta':{'type':'thinking_delta','thinking':'hmm'}}")))
        .isEmpty();
    assertThat(
            s.onEvent(
                anthropic(
                    "{'type':'content_block_delta','index':0,'delta':{'type':'signature_delta','signature':'Eq'}}")))
        .isEmpty();
  }

  @Test
  void usageChunkFollowsWhenTheClientAskedForIt() {
    List<SseEvent> out = run(stream(true), events("anthropic-text-then-tools.sse"));
    assertThat(out.get(out.size() - 1)).isEqualTo(SseEvent.data("[DONE]"));
    JsonNode usageChunk = parse(out.get(out.size() - 2).data());
    assertThat(usageChunk.get("choices")).isEmpty();
    assertThat(usageChunk.get("usage"))
        .isEqualTo(
            json(
                "{'prompt_tokens':600,'completion_tokens':89,'total_tokens':689,"
                    + "'prompt_tokens_details':{'cached_tokens':128}}"));
  }

  @Test
  void noUsageChunkWhenTheClientDidNotAsk() {
    List<JsonNode> chunks = chunks(run(stream(false), events("anthropic-text.sse")));
    assertThat(chunks).noneMatch(c -> c.has("usage"));
    List<JsonNode> viaShortFactory =
        chunks(run(translator.stream(Operation.CHAT, "gpt-4o"), events("anthropic-text.sse")));
    assertThat(viaShortFactory).noneMatch(c -> c.has("usage"));
  }

  @Test
  void errorEventBecomesAnOpenAiStreamErrorAndEndsTheStream() {
    StreamTranslator s = stream(true);
    s.onEvent(events("anthropic-text.sse").get(0));
    List<SseEvent> out =
        s.onEvent(
            anthropic(
                "{'type':'error','error':{'type':'overloaded_error','message':'Overloaded'}}"));
    assertThat(out).hasSize(1);
    assertThat(parse(out.get(0).data()))
        .isEqualTo(
            json(
                "{'error':{'message':'Overloaded','type':'server_error','code':null,'param':null}}"));
    assertThat(s.onEvent(anthropic("{'type':'message_stop'}"))).isEmpty();
    assertThat(s.finish()).isEmpty();
  }

  @Test
  void streamCutBeforeTheFinishEndsWithAnErrorInsteadOfDone() {
    List<SseEvent> upstream = events("anthropic-text.sse").subList(0, 5);
    List<SseEvent> out = run(stream(false), upstream);
    SseEvent last = out.get(out.size() - 1);
    assertThat(last.data()).doesNotContain("[DONE]");
    assertThat(parse(last.data()).get("error").get("code").asText())
        .isEqualTo("upstream_stream_truncated");
  }

  @Test
  void missingMessageStopAfterTheFinishStillEndsWithDone() {
    List<SseEvent> all = events("anthropic-text.sse");
    List<SseEvent> out = run(stream(false), all.subList(0, all.size() - 1));
    assertThat(out.get(out.size() - 1)).isEqualTo(SseEvent.data("[DONE]"));
  }

  @Test
  void theOfficialOpenAiSdkAccumulatesTheTranslatedStream() throws Exception {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    for (SseEvent e : run(stream(true), events("anthropic-text-then-tools.sse"))) {
      if (!e.data().equals("[DONE]")) {
        accumulator.accumulate(
            ObjectMappers.jsonMapper().readValue(e.data(), ChatCompletionChunk.class));
      }
    }
    ChatCompletion completion = accumulator.chatCompletion();
    var message = completion.choices().get(0).message();
    assertThat(message.content()).contains("Okay, let me check the weather and the time.");
    List<ChatCompletionMessageToolCall> calls = message.toolCalls().orElseThrow();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).asFunction().function().name()).isEqualTo("get_weather");
    assertThat(calls.get(0).asFunction().function().arguments())
        .isEqualTo("{\"location\": \"San Francisco, CA\"}");
    assertThat(calls.get(1).asFunction().id()).isEqualTo("toolu_01Ab2CdEfGhIjKlMnOpQrStU");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(600);
  }
}
