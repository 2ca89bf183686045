package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.gateway.http.GatewayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A whole upstream answer the gateway must hold in memory is bounded: beyond it, a 502. */
class UpstreamBodyCapTest {
  final PipelineFixture gateway = new PipelineFixture();

  @AfterEach
  void close() {
    gateway.close();
  }

  private RequestContext served(String answer) {
    gateway.upstream.json(answer);
    RequestContext request =
        gateway.routed(
            PipelineFixture.openAiChat("{'model':'gpt','messages':[]}"), new TestingResponder());
    new UpstreamStage(gateway.router, gateway.upstreams(), gateway.upstream).apply(request);
    return request;
  }

  @Test
  void anAnswerOverTheCapIsA502NamingTheLimit() {
    String answer = ProxyPipelineTest.json(ProxyPipelineTest.OPENAI_ANSWER);
    RequestContext request = served(answer);
    RelayStage relay = new RelayStage(gateway.upstreams(), answer.length() - 1);

    assertThatThrownBy(() -> relay.apply(request))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.error().status()).isEqualTo(502);
              assertThat(e.error().code()).isEqualTo("upstream_response_too_large");
              assertThat(e.error().message()).contains((answer.length() - 1) + " bytes");
            });
    request.finish();
  }

  @Test
  void anAnswerWithinTheCapIsRelayed() {
    String answer = ProxyPipelineTest.json(ProxyPipelineTest.OPENAI_ANSWER);
    RequestContext request = served(answer);

    assertThat(new RelayStage(gateway.upstreams(), answer.length()).apply(request))
        .isEqualTo(Stage.Flow.ANSWERED);
    request.finish();
  }
}
