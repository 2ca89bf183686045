package dev.portcullis.gateway.pipeline;

import static dev.portcullis.gateway.pipeline.PipelineFixture.LIMITED_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gateway.limits.Settlement;
import dev.portcullis.gateway.pipeline.ResponseObserver.Outcome;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole pipeline in memory: real stages, a scripted upstream, no sockets. */
class ProxyPipelineTest {
  static final String OPENAI_ANSWER =
      "{'id':'c1','object':'chat.completion','model':'up-gpt','choices':[{'index':0,"
          + "'message':{'role':'assistant','content':'hi'},'finish_reason':'stop'}],"
          + "'usage':{'prompt_tokens':7,'completion_tokens':3,'total_tokens':10}}";
  static final String ANTHROPIC_ANSWER =
      "{'id':'msg_1','type':'message','role':'assistant','model':'up-claude','content':"
          + "[{'type':'text','text':'hello'}],'stop_reason':'end_turn','stop_sequence':null,"
          + "'usage':{'input_tokens':11,'output_tokens':5}}";
  static final String OPENAI_STREAM =
      "data: {'id':'c1','object':'chat.completion.chunk','model':'up-gpt','choices':[{'index':0,"
          + "'delta':{'role':'assistant','content':'hi'},'finish_reason':null}],'usage':null}\n\n"
          + "data: {'id':'c1','object':'chat.completion.chunk','model':'up-gpt','choices':[{'index':0,"
          + "'delta':{},'finish_reason':'stop'}],'usage':null}\n\n"
          + "data: {'id':'c1','object':'chat.completion.chunk','model':'up-gpt','choices':[],"
          + "'usage':{'prompt_tokens':7,'completion_tokens':3,'total_tokens':10}}\n\n"
          + "data: [DONE]\n\n";
  static final String ANTHROPIC_STREAM_START =
      "event: message_start\ndata: {'type':'message_start','message':{'id':'msg_1','type':"
          + "'message','role':'assistant','model':'up-claude','content':[],'stop_reason':null,"
          + "'usage':{'input_tokens':11,'output_tokens':1}}}\n\n"
          + "event: content_block_start\ndata: {'type':'content_block_start','index':0,"
          + "'content_block':{'type':'text','text':''}}\n\n"
          + "event: content_block_delta\ndata: {'type':'content_block_delta','index':0,"
          + "'delta':{'type':'text_delta','text':'hel'}}\n\n";

  final PipelineFixture gateway = new PipelineFixture();
  final TestingResponder client = new TestingResponder();

  @AfterEach
  void close() {
    gateway.close();
  }

  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  static JsonNode tree(String text) throws IOException {
    return RequestBody.JSON.readTree(text);
  }

  @Test
  void sameFormatAnswerIsCopiedAsItCameAndCharged() {
    gateway.upstream.json(json(OPENAI_ANSWER));

    RequestContext request =
        gateway.handle(
            PipelineFixture.openAiChat(
                "{'model':'gpt','messages':[{'role':'user','content':'x'}]}"),
            client);

    assertThat(client.status()).isEqualTo(200);
    assertThat(client.text()).isEqualTo(json(OPENAI_ANSWER));
    assertThat(gateway.upstream.lastBody()).contains("\"model\":\"up-gpt\"");
    assertThat(client.header("x-portcullis-route")).isEqualTo("team-a/gpt");
    assertThat(client.header("x-portcullis-target")).isEqualTo("openai");
    assertThat(client.header("x-request-id")).isEqualTo("req-test");
    assertThat(client.header("x-portcullis-cost-usd"))
        .isEqualTo(request.costUsd())
        .isNotEqualTo("0");
    assertThat(request.outcome()).isEqualTo(Outcome.ANSWERED);
    assertThat(request.reportedUsage()).contains(new Usage(7, 3, 0));
    assertThat(request.chargedTokens()).isEqualTo(10);
    assertThat(gateway.upstream.allClosed()).isTrue();
  }

  @Test
  void translatedAnswerReachesTheClientInItsOwnFormat() throws IOException {
    gateway.upstream.json(json(ANTHROPIC_ANSWER));

    RequestContext request =
        gateway.handle(
            PipelineFixture.openAiChat(
                "{'model':'claude','messages':[{'role':'user','content':'x'}]}"),
            client);

    assertThat(client.status()).isEqualTo(200);
    JsonNode answer = tree(client.text());
    assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
    assertThat(answer.path("choices").path(0).path("message").path("content").asText())
        .isEqualTo("hello");
    assertThat(tree(gateway.upstream.lastBody()).path("max_tokens").isInt()).isTrue();
    assertThat(request.reportedUsage()).contains(new Usage(11, 5, 0));
    assertThat(client.header("x-portcullis-cost-usd")).isEqualTo(request.costUsd());
  }

  @Test
  void sameFormatStreamIsRelayedWithTheUsageChunkTheGatewayAskedForDropped() {
    gateway.upstream.stream(json(OPENAI_STREAM));

    RequestContext request =
        gateway.handle(
            PipelineFixture.openAiChat(
                "{'model':'gpt','stream':true,'messages':[{'role':'user','content':'x'}]}"),
            client);

    assertThat(gateway.upstream.lastBody()).contains("\"include_usage\":true");
    assertThat(client.streamed()).isTrue();
    assertThat(client.text()).contains("\"content\":\"hi\"").contains("data: [DONE]");
    assertThat(client.text()).doesNotContain("\"prompt_tokens\"");
    // The other events pass as the bytes they came as.
    String withoutUsage =
        java.util.Arrays.stream(json(OPENAI_STREAM).split("(?<=\n\n)"))
            .filter(e -> !e.contains("prompt_tokens"))
            .collect(java.util.stream.Collectors.joining());
    assertThat(client.text())
        .isEqualTo(withoutUsage + ": x-portcullis-cost-usd=" + request.costUsd() + "\n\n");
    assertThat(request.reportedUsage()).contains(new Usage(7, 3, 0));
    assertThat(request.outcome()).isEqualTo(Outcome.ANSWERED);
  }

  @Test
  void sameFormatStreamTheClientAskedUsageForIsCopiedByteForByte() {
    gateway.upstream.stream(json(OPENAI_STREAM));

    RequestContext request =
        gateway.handle(
            PipelineFixture.openAiChat(
                "{'model':'gpt','stream':true,'stream_options':{'include_usage':true},"
                    + "'messages':[{'role':'user','content':'x'}]}"),
            client);

    assertThat(client.text())
        .isEqualTo(json(OPENAI_STREAM) + ": x-portcullis-cost-usd=" + request.costUsd() + "\n\n");
    assertThat(request.reportedUsage()).contains(new Usage(7, 3, 0));
  }

  @Test
  void translatedStreamReachesTheClientAsItsOwnEvents() {
    gateway.upstream.stream(json(OPENAI_STREAM));

    RequestContext request =
        gateway.handle(
            PipelineFixture.anthropicMessages(
                "{'model':'gpt','max_tokens':50,'stream':true,"
                    + "'messages':[{'role':'user','content':'x'}]}"),
            client);

    assertThat(client.text())
        .contains("event: message_start")
        .contains("\"text\":\"hi\"")
        .contains("event: message_stop")
        .doesNotContain("[DONE]");
    assertThat(request.reportedUsage()).contains(new Usage(7, 3, 0));
    assertThat(request.outcome()).isEqualTo(Outcome.ANSWERED);
  }

  @Test
  void upstreamErrorIsRelayedInTheClientsFormatAndReleasesTheReservation() throws IOException {
    gateway.upstream.error(
        400, json("{'error':{'message':'bad things','type':'invalid_request_error'}}"));

    RequestContext request =
        gateway.handle(
            PipelineFixture.call(
                WireFormat.ANTHROPIC,
                Operation.CHAT,
                LIMITED_KEY,
                "{'model':'gpt','max_tokens':5,'messages':[{'role':'user','content':'x'}]}"),
            client);

    assertThat(client.status()).isEqualTo(400);
    JsonNode error = tree(client.text());
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("error").path("message").asText()).contains("bad things");
    assertThat(client.header("x-portcullis-cost-usd")).isEqualTo("0");
    assertThat(request.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(gateway.store.settlements()).extracting(Settlement::served).containsExactly(false);
  }

  @Test
  void refusalByTheLimitsSendsNothingUpstream() throws IOException {
    gateway.upstream.json(json(OPENAI_ANSWER));
    String body = "{'model':'gpt','messages':[{'role':'user','content':'x'}]}";
    gateway.handle(
        PipelineFixture.call(WireFormat.OPENAI, Operation.CHAT, LIMITED_KEY, body), client);

    TestingResponder refused = new TestingResponder();
    RequestContext request =
        gateway.handle(
            PipelineFixture.call(WireFormat.OPENAI, Operation.CHAT, LIMITED_KEY, body), refused);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("retry-after")).isNotNull();
    assertThat(refused.header("x-ratelimit-limit-requests")).isEqualTo("1");
    assertThat(tree(refused.text()).path("error").path("code").asText())
        .isEqualTo("rate_limit_exceeded");
    assertThat(request.errorCode()).isEqualTo("rate_limit_exceeded");
    assertThat(gateway.upstream.requests()).hasSize(1);
  }

  @Test
  void streamCutShortByTheUpstreamIsSettledOnceWithTheUsageSeen() {
    gateway.upstream.streamThenBreak(json(ANTHROPIC_STREAM_START));

    RequestContext request =
        gateway.handle(
            PipelineFixture.call(
                WireFormat.ANTHROPIC,
                Operation.CHAT,
                LIMITED_KEY,
                "{'model':'claude','max_tokens':50,'stream':true,"
                    + "'messages':[{'role':'user','content':'x'}]}"),
            client);

    assertThat(client.text())
        .contains("\"text\":\"hel\"")
        .contains("event: error")
        .contains("The upstream connection broke")
        .doesNotContain("x-portcullis-cost-usd=");
    assertThat(request.outcome()).isEqualTo(Outcome.CUT_SHORT);
    assertThat(gateway.store.settlements())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.served()).isTrue();
              assertThat(s.inputTokens()).isEqualTo(11);
              assertThat(s.outputTokens()).isEqualTo(1);
            });
    assertThat(gateway.upstream.allClosed()).isTrue();
  }

  @Test
  void streamTheClientLeavesIsSettledOnce() {
    gateway.upstream.stream(json(OPENAI_STREAM));

    RequestContext request =
        gateway.handle(
            PipelineFixture.call(
                WireFormat.OPENAI,
                Operation.CHAT,
                LIMITED_KEY,
                "{'model':'gpt','stream':true,'messages':[{'role':'user','content':'x'}]}"),
            client.leaveAfterFlushes(1));

    assertThat(request.outcome()).isEqualTo(Outcome.CUT_SHORT);
    assertThat(gateway.store.settlements())
        .singleElement()
        .extracting(Settlement::served)
        .isEqualTo(true);
    assertThat(gateway.upstream.allClosed()).isTrue();
  }

  @Test
  void anUnexpectedFailureIsAnsweredAsAnInternalErrorWithTheRequestId() throws IOException {
    ProxyPipeline pipeline =
        new ProxyPipeline(
            java.util.List.of(
                request -> {
                  throw new IllegalStateException("a bug");
                }));
    pipeline.handle(PipelineFixture.openAiChat("{}"), client);

    assertThat(client.status()).isEqualTo(500);
    assertThat(tree(client.text()).path("error").path("message").asText()).contains("req-test");
  }

  @Test
  void timingsAreTakenInOrder() {
    gateway.upstream.json(json(OPENAI_ANSWER));

    RequestContext request =
        gateway.handle(
            PipelineFixture.openAiChat(
                "{'model':'gpt','messages':[{'role':'user','content':'x'}]}"),
            client);

    assertThat(request.startNanos())
        .isLessThan(request.responseStartNanos())
        .isLessThan(request.firstByteNanos())
        .isLessThan(request.endNanos());
  }
}
