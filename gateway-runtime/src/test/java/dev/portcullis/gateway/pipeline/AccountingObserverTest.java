package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.limits.Settlement;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Accounting settles a served stream cut short without usage at the estimate, once. */
class AccountingObserverTest {
  final PipelineFixture gateway = new PipelineFixture();

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void aStreamCutBeforeAnyUsageIsChargedTheEstimateOnce() {
    gateway.upstream.streamThenBreak(
        ProxyPipelineTest.json(
            "data: {'id':'c1','object':'chat.completion.chunk','choices':[{'index':0,"
                + "'delta':{'content':'hi'}}]}\n\n"));
    TestingResponder out = new TestingResponder();

    RequestContext request =
        gateway.handle(
            PipelineFixture.call(
                WireFormat.OPENAI,
                Operation.CHAT,
                PipelineFixture.LIMITED_KEY,
                "{'model':'gpt','stream':true,'max_tokens':20,"
                    + "'messages':[{'role':'user','content':'hello'}]}"),
            out);

    assertThat(out.header("x-portcullis-cost-usd")).isNotEqualTo("0"); // the estimate
    assertThat(gateway.store.settlements())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.served()).isTrue();
              assertThat(s.outputTokens()).isEqualTo(20);
            });
    assertThat(request.chargedTokens()).isGreaterThan(20);
  }

  @Test
  void aRequestNoTargetServedIsReleasedNotCharged() {
    gateway.upstream.error(503, "{\"error\":{\"message\":\"down\"}}");

    gateway.handle(
        PipelineFixture.call(
            WireFormat.OPENAI,
            Operation.CHAT,
            PipelineFixture.LIMITED_KEY,
            "{'model':'gpt','messages':[]}"),
        new TestingResponder());

    assertThat(gateway.store.settlements()).extracting(Settlement::served).containsExactly(false);
  }
}
