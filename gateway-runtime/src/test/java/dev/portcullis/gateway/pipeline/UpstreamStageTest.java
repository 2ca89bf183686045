package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.routing.Routed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamStageTest {
  final PipelineFixture gateway = new PipelineFixture();

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void theTargetGetsTheBodyInItsFormatWithItsModelAndCredential() throws Exception {
    gateway.upstream.json("{}");
    TestingResponder out = new TestingResponder();
    RequestContext request =
        gateway.routed(
            PipelineFixture.openAiChat(
                "{'model':'claude','messages':[{'role':'user','content':'x'}]}"),
            out);

    assertThat(
            new UpstreamStage(gateway.router, gateway.upstreams(), gateway.upstream).apply(request))
        .isEqualTo(Stage.Flow.CONTINUE);

    var sent = gateway.upstream.requests().getFirst();
    assertThat(sent.uri().toString()).isEqualTo("http://anthropic.test/v1/messages");
    assertThat(sent.headers()).containsEntry("x-api-key", "sk-upstream-anthropic");
    assertThat(gateway.upstream.lastBody())
        .contains("\"model\":\"up-claude\"")
        .contains("\"max_tokens\"");
    assertThat(request.routed()).isInstanceOf(Routed.Served.class);
    assertThat(request.servedAttempt().target().name()).isEqualTo("anthropic");
    assertThat(out.header("x-portcullis-target")).isEqualTo("anthropic");
    assertThat(out.header("x-portcullis-attempts")).isEqualTo("1");
    ((Routed.Served) request.routed()).response().close();
  }

  @Test
  void anUpstreamErrorIsKeptForTheRelay() {
    gateway.upstream.error(400, "{\"error\":{\"message\":\"no\"}}");
    RequestContext request =
        gateway.routed(
            PipelineFixture.openAiChat("{'model':'gpt','messages':[]}"), new TestingResponder());

    new UpstreamStage(gateway.router, gateway.upstreams(), gateway.upstream).apply(request);

    assertThat(request.routed())
        .isInstanceOfSatisfying(
            Routed.Failed.class, f -> assertThat(f.failure().status()).isEqualTo(400));
    assertThat(request.servedAttempt()).isNull();
  }
}
