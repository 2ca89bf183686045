package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.http.ApiError;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.pipeline.ResponseObserver.Outcome;
import dev.portcullis.gateway.provider.Usage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestContextTest {
  private final TestingResponder out = new TestingResponder();
  private final RequestContext request = new RequestContext(PipelineFixture.openAiChat("{}"), out);
  private final RelayStageTest.RecordingObserver observer = new RelayStageTest.RecordingObserver();

  @Test
  void observersHearOfTheEndOnce() {
    request.observe(observer);

    request.complete(Optional.of(new Usage(1, 2, 0)), Outcome.CUT_SHORT);
    request.complete(Optional.empty(), Outcome.ANSWERED);
    request.finish();

    assertThat(observer.seen).containsExactly("complete CUT_SHORT 3");
    assertThat(request.outcome()).isEqualTo(Outcome.CUT_SHORT);
  }

  @Test
  void finishActionsRunOnceTheObserversHeardOfTheEndAndTheEndIsTimed() {
    java.util.List<String> order = new java.util.ArrayList<>();
    request.observe(
        new ResponseObserver() {
          @Override
          public void onComplete(Optional<Usage> usage, Outcome outcome) {
            order.add("observer " + outcome);
          }
        });
    request.whenFinished(() -> order.add("finished, ended at " + (request.endNanos() >= 0)));
    request.whenFinished(
        () -> {
          throw new IllegalStateException("one action failing keeps none from the others");
        });
    request.whenFinished(() -> order.add("last"));

    request.sendAnswer(new byte[] {'{', '}'}, Optional.empty());
    assertThat(order).containsExactly("observer ANSWERED");
    request.finish();

    assertThat(order).containsExactly("observer ANSWERED", "finished, ended at true", "last");
  }

  @Test
  void trailersOfAWholeAnswerGoOutAsHeaders() {
    request.observe(
        new ResponseObserver() {
          @Override
          public void onComplete(Optional<Usage> usage, Outcome outcome) {
            request.trailer("x-test-trailer", "done");
          }
        });

    request.sendAnswer(new byte[] {'{', '}'}, Optional.empty());

    assertThat(out.header("x-test-trailer")).isEqualTo("done");
  }

  @Test
  void anErrorIsRenderedInTheClientsFormatAndCountsAsFailed() {
    request.observe(observer);

    request.sendError(ApiError.of(ErrorKind.FORBIDDEN, "nope", "Not for you."));
    request.finish();

    assertThat(out.status()).isEqualTo(403);
    assertThat(out.text()).contains("\"message\":\"Not for you.\"");
    assertThat(request.errorCode()).isEqualTo("nope");
    assertThat(observer.seen.getLast()).isEqualTo("complete FAILED -1");
  }

  @Test
  void aStreamThatNeverEndedCountsAsFailed() {
    request.observe(observer);

    request.startStream();
    request.finish();

    assertThat(observer.seen).containsExactly("headers 200 stream", "complete FAILED -1");
  }

  @Test
  void anObserverThatThrowsAtTheEndDoesNotKeepTheOthersFromIt() {
    request.observe(
        new ResponseObserver() {
          @Override
          public void onComplete(Optional<Usage> usage, Outcome outcome) {
            throw new IllegalStateException("broken observer");
          }
        });
    request.observe(observer);

    request.finish();

    assertThat(observer.seen).containsExactly("complete FAILED -1");
  }
}
