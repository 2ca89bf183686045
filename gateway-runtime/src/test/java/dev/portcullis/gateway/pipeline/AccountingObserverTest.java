package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.limits.Settlement;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.TranslatorRegistry;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Accounting ends every admitted request once: settled, charged the estimate, or released. */
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

  @Test
  void anAnswerTheGatewayFailedToTranslateIsStillChargedItsReportedUsage() {
    gateway.upstream.json(ProxyPipelineTest.json(ProxyPipelineTest.ANTHROPIC_ANSWER));
    Translator failing =
        new Translator() {
          @Override
          public WireFormat client() {
            return WireFormat.OPENAI;
          }

          @Override
          public WireFormat upstream() {
            return WireFormat.ANTHROPIC;
          }

          @Override
          public ObjectNode request(Operation operation, ObjectNode clientRequest) {
            return clientRequest.put("max_tokens", 5);
          }

          @Override
          public ObjectNode response(Operation operation, ObjectNode upstream, String model) {
            throw new IllegalStateException("a translator bug");
          }

          @Override
          public StreamTranslator stream(Operation operation, String clientModel) {
            throw new UnsupportedOperationException();
          }

          @Override
          public ObjectNode error(int status, ObjectNode upstreamError) {
            return upstreamError;
          }
        };
    UpstreamProviders upstreams =
        new UpstreamProviders(gateway.providers, new TranslatorRegistry(List.of(failing)));
    TestingResponder out = new TestingResponder();
    RequestContext request =
        gateway.routed(
            PipelineFixture.call(
                WireFormat.OPENAI,
                Operation.CHAT,
                PipelineFixture.LIMITED_KEY,
                "{'model':'claude','messages':[]}"),
            out);
    ProxyPipeline rest =
        new ProxyPipeline(
            List.of(
                new AdmissionStage(gateway.admissions),
                new UpstreamStage(gateway.router, upstreams, gateway.upstream),
                new RelayStage(upstreams)));

    rest.handle(request);

    assertThat(out.status()).isEqualTo(500);
    assertThat(gateway.store.settlements())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.served()).isTrue();
              assertThat(s.inputTokens()).isEqualTo(11);
              assertThat(s.outputTokens()).isEqualTo(5);
            });
  }
}
