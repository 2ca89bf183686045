package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.events;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.openAi;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.parse;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicToOpenAiStreamTest {
  private final AnthropicToOpenAiTranslator translator = new AnthropicToOpenAiTranslator();

  private StreamTranslator stream() {
    return translator.stream(Operation.CHAT, "claude-sonnet-4-5");
  }

  private static List<String> names(List<SseEvent> events) {
    return events.stream().map(SseEvent::event).toList();
  }

  private static String chunk(String deltaAndFinish) {
    return "{'id':'chatcmpl-X1','object':'chat.completion.chunk','created':1733000000,"
        + "'model':'gpt-4o','choices':[{'index':0,"
        + deltaAndFinish
        + ",'logprobs':null}]}";
  }

  private static Message accumulate(List<SseEvent> events) throws Exception {
    MessageAccumulator accumulator = MessageAccumulator.create();
    for (SseEvent e : events) {
      accumulator.accumulate(
          ObjectMappers.jsonMapper().readValue(e.data(), RawMessageStreamEvent.class));
    }
    return accumulator.message();
  }

  @Test
  void textStreamBecomesTheAnthropicEventSequence() {
    List<SseEvent> out = run(stream(), events("openai-text.sse"));
    assertThat(names(out))
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    JsonNode start = parse(out.get(0).data()).get("message");
    assertThat(start.get("id").asText()).isEqualTo("msg_B1kQ9");
    assertThat(start.get("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(start.get("usage")).isEqualTo(json("{'input_tokens':0,'output_tokens':0}"));
    assertThat(parse(out.get(1).data()))
        .isEqualTo(
            json(
                "{'type':'content_block_start','index':0,'content_block':{'type':'text','text':''}}"));
    assertThat(parse(out.get(2).data()))
        .isEqualTo(
            json(
                "{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'Hello'}}"));
    assertThat(parse(out.get(5).data()))
        .isEqualTo(
            json(
                "{'type':'message_delta','delta':{'stop_reason':'end_turn','stop_sequence':null},"
                    + "'usage':{'input_tokens':19,'cache_creation_input_tokens':0,"
                    + "'cache_read_input_tokens':0,'output_tokens':3}}"));
  }

  @Test
  void eventNameMatchesTheTypeInItsData() {
    List<SseEvent> out = run(stream(), events("openai-parallel-tools.sse"));
    assertThat(out)
        .allSatisfy(e -> assertThat(parse(e.data()).get("type").asText()).isEqualTo(e.event()));
  }

  @Test
  void parallelToolCallsBecomeSeparateToolUseBlocks() {
    List<SseEvent> out = run(stream(), events("openai-parallel-tools.sse"));
    assertThat(names(out))
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    assertThat(parse(out.get(1).data()))
        .isEqualTo(
            json(
                "{'type':'content_block_start','index':0,'content_block':{'type':'tool_use',"
                    + "'id':'call_GxU1fJ','name':'get_weather','input':{}}}"));
    assertThat(parse(out.get(2).data()).get("delta"))
        .isEqualTo(
            json("{'type':'input_json_delta','partial_json':'{\\'lo'}".replace("\\'", "\\\"")));
    assertThat(parse(out.get(5).data()).get("index").asInt()).isEqualTo(1);
    assertThat(parse(out.get(8).data()).get("delta").get("stop_reason").asText())
        .isEqualTo("tool_use");
  }

  @Test
  void textThenToolCallClosesTheTextBlockFirst() {
    StreamTranslator s = stream();
    List<SseEvent> out = new ArrayList<>();
    out.addAll(
        s.onEvent(openAi(chunk("'delta':{'role':'assistant','content':''},'finish_reason':null"))));
    out.addAll(s.onEvent(openAi(chunk("'delta':{'content':'Let me look.'},'finish_reason':null"))));
    out.addAll(
        s.onEvent(
            openAi(
                chunk(
                    "'delta':{'tool_calls':[{'index':0,'id':'call_1','type':'function',"
                        + "'function':{'name':'lookup','arguments':'{}'}}]},'finish_reason':null"))));
    out.addAll(s.onEvent(openAi(chunk("'delta':{},'finish_reason':'tool_calls'"))));
    out.addAll(s.onEvent(SseEvent.data("[DONE]")));
    out.addAll(s.finish());
    assertThat(names(out))
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    assertThat(parse(out.get(4).data()).get("index").asInt()).isEqualTo(1);
  }

  @Test
  void wholeToolCallsInOneChunkEachStartTheirOwnBlock() {
    List<SseEvent> out =
        run(
            stream(),
            List.of(
                openAi(
                    chunk(
                            "'delta':{'role':'assistant','tool_calls':["
                                + "{'index':0,'id':'call_a','type':'function','function':{'name':'f','arguments':'{\\'x\\':1}'}},"
                                + "{'index':1,'id':'call_b','type':'function','function':{'name':'g','arguments':'{}'}}]},"
                                + "'finish_reason':'tool_calls'")
                        .replace("\\'", "\\\"")),
                SseEvent.data("[DONE]")));
    assertThat(names(out))
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
  }

  @Test
  void repeatedIdOnLaterFragmentsContinuesTheSameCall() {
    List<SseEvent> out =
        run(
            stream(),
            List.of(
                openAi(
                    chunk(
                        "'delta':{'tool_calls':[{'index':0,'id':'call_a','function':{'name':'f','arguments':'{'}}]},"
                            + "'finish_reason':null")),
                openAi(
                    chunk(
                        "'delta':{'tool_calls':[{'index':0,'id':'call_a','function':{'arguments':'}'}}]},"
                            + "'finish_reason':'tool_calls'")),
                SseEvent.data("[DONE]")));
    assertThat(names(out).stream().filter("content_block_start"::equals)).hasSize(1);
  }

  @Test
  void emptyDeltasProduceNoBlockEvents() {
    StreamTranslator s = stream();
    List<SseEvent> first =
        s.onEvent(
            openAi(
                chunk(
                    "'delta':{'role':'assistant','content':'','refusal':null},'finish_reason':null")));
    assertThat(names(first)).containsExactly("message_start");
    assertThat(s.onEvent(openAi(chunk("'delta':{},'finish_reason':null")))).isEmpty();
    assertThat(s.onEvent(openAi(chunk("'delta':{'content':null},'finish_reason':null")))).isEmpty();
  }

  @Test
  void usageOnlyFinalChunkFillsTheMessageDeltaUsage() {
    List<SseEvent> out = run(stream(), events("openai-parallel-tools.sse"));
    JsonNode delta = parse(out.get(out.size() - 2).data());
    assertThat(delta.get("usage"))
        .isEqualTo(
            json(
                "{'input_tokens':18,'cache_creation_input_tokens':0,'cache_read_input_tokens':64,"
                    + "'output_tokens':45}"));
  }

  @Test
  void missingDoneAfterAFinishReasonStillCompletesTheMessage() {
    List<SseEvent> all = events("openai-text.sse");
    List<SseEvent> out = run(stream(), all.subList(0, all.size() - 1));
    assertThat(out.get(out.size() - 1).event()).isEqualTo("message_stop");
  }

  @Test
  void streamCutBeforeAFinishReasonEndsWithAnErrorEvent() {
    List<SseEvent> out = run(stream(), events("openai-text.sse").subList(0, 2));
    SseEvent last = out.get(out.size() - 1);
    assertThat(last.event()).isEqualTo("error");
    assertThat(parse(last.data()).get("error").get("type").asText()).isEqualTo("api_error");
    assertThat(names(out)).doesNotContain("message_stop");
  }

  @Test
  void upstreamErrorChunkBecomesAnErrorEventAndEndsTheStream() {
    StreamTranslator s = stream();
    s.onEvent(openAi(chunk("'delta':{'role':'assistant','content':'Hi'},'finish_reason':null")));
    List<SseEvent> out =
        s.onEvent(
            openAi(
                "{'error':{'message':'Rate limit reached for gpt-4o','type':'requests',"
                    + "'param':null,'code':'rate_limit_exceeded'}}"));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).event()).isEqualTo("error");
    assertThat(parse(out.get(0).data()))
        .isEqualTo(
            json(
                "{'type':'error','error':{'type':'rate_limit_error',"
                    + "'message':'Rate limit reached for gpt-4o'}}"));
    assertThat(s.onEvent(SseEvent.data("[DONE]"))).isEmpty();
    assertThat(s.finish()).isEmpty();
  }

  @Test
  void anEmptyStreamThatSaysDoneStillProducesAWellFormedMessage() {
    List<SseEvent> out = run(stream(), List.of(SseEvent.data("[DONE]")));
    assertThat(names(out)).containsExactly("message_start", "message_delta", "message_stop");
  }

  @Test
  void theOfficialAnthropicSdkAccumulatesTheTranslatedToolStream() throws Exception {
    Message message = accumulate(run(stream(), events("openai-parallel-tools.sse")));
    assertThat(message.content()).hasSize(2);
    assertThat(message.content().get(0).asToolUse().id()).isEqualTo("call_GxU1fJ");
    assertThat(message.content().get(0).asToolUse()._input().toString()).contains("Paris");
    assertThat(message.content().get(1).asToolUse().name()).isEqualTo("get_time");
    assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(message.usage().outputTokens()).isEqualTo(45);
    assertThat(message.usage().inputTokens()).isEqualTo(18);
    assertThat(message.usage().cacheReadInputTokens()).contains(64L);
  }

  @Test
  void theOfficialAnthropicSdkAccumulatesTheTranslatedTextStream() throws Exception {
    Message message = accumulate(run(stream(), events("openai-text.sse")));
    assertThat(message.content().get(0).asText().text()).isEqualTo("Hello there!");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
  }
}
