package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.limits.Settlement;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdmissionStageTest {
  final PipelineFixture gateway = new PipelineFixture();

  @AfterEach
  void close() {
    gateway.close();
  }

  private RequestContext limited(TestingResponder out) {
    return gateway.routed(
        PipelineFixture.call(
            WireFormat.OPENAI,
            Operation.CHAT,
            PipelineFixture.LIMITED_KEY,
            "{'model':'gpt','messages':[]}"),
        out);
  }

  @Test
  void anAdmittedRequestHoldsAReservationThatItsEndReleases() {
    TestingResponder out = new TestingResponder();
    RequestContext request = limited(out);

    assertThat(new AdmissionStage(gateway.admissions).apply(request))
        .isEqualTo(Stage.Flow.CONTINUE);
    assertThat(request.admission()).isNotNull();
    assertThat(out.header("x-ratelimit-remaining-requests")).isEqualTo("0");

    request.finish(); // no target answered
    assertThat(gateway.store.settlements()).extracting(Settlement::served).containsExactly(false);
  }

  @Test
  void aRequestOverTheKeysLimitIsRefusedWithRetryAfter() {
    AdmissionStage stage = new AdmissionStage(gateway.admissions);
    stage.apply(limited(new TestingResponder()));
    TestingResponder out = new TestingResponder();

    assertThatThrownBy(() -> stage.apply(limited(out)))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.error().status()).isEqualTo(429));
    assertThat(out.header("retry-after")).isNotNull();
  }
}
