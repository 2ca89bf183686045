package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CountTokensLocallyStageTest {
  final PipelineFixture gateway = new PipelineFixture();

  @AfterEach
  void close() {
    gateway.close();
  }

  private RequestContext countTokens(String model, TestingResponder out) {
    return gateway.routed(
        PipelineFixture.call(
            WireFormat.ANTHROPIC,
            Operation.COUNT_TOKENS,
            PipelineFixture.KEY,
            "{'model':'" + model + "','messages':[{'role':'user','content':'hello there'}]}"),
        out);
  }

  @Test
  void aTargetWithoutACountEndpointIsAnsweredLocally() {
    TestingResponder out = new TestingResponder();
    RequestContext request = countTokens("gpt", out);

    assertThat(new CountTokensLocallyStage(gateway.providers).apply(request))
        .isEqualTo(Stage.Flow.ANSWERED);
    assertThat(out.status()).isEqualTo(200);
    assertThat(out.text()).matches("\\{\"input_tokens\":\\d+\\}");
    assertThat(gateway.upstream.requests()).isEmpty();
  }

  @Test
  void aTargetWithACountEndpointIsAskedInstead() {
    TestingResponder out = new TestingResponder();
    RequestContext request = countTokens("claude", out);

    assertThat(new CountTokensLocallyStage(gateway.providers).apply(request))
        .isEqualTo(Stage.Flow.CONTINUE);
    assertThat(out.committed()).isFalse();
  }
}
