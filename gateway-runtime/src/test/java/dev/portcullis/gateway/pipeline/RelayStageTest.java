package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.pipeline.ResponseObserver.Outcome;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay hands every shape of answer to the observers in the client's format: one observer,
 * written once, sees a copied body, a translated body, a copied stream and a translated stream.
 */
class RelayStageTest {
  final PipelineFixture gateway = new PipelineFixture();

  @AfterEach
  void close() {
    gateway.close();
  }

  /** Writes down what it saw, one line per call. */
  static final class RecordingObserver implements ResponseObserver {
    final List<String> seen = new ArrayList<>();

    @Override
    public void onHeaders(int status, boolean streamed) {
      seen.add("headers " + status + (streamed ? " stream" : ""));
    }

    @Override
    public void onBody(byte[] body) {
      seen.add("body " + new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void onStreamEvent(SseEvent event) {
      seen.add("event " + event.event() + " " + event.data());
    }

    @Override
    public void onComplete(Optional<Usage> usage, Outcome outcome) {
      seen.add("complete " + outcome + " " + usage.map(Usage::totalTokens).orElse(-1L));
    }
  }

  private RecordingObserver relay(ClientCall call, TestingResponder out) {
    RequestContext request = gateway.routed(call, out);
    RecordingObserver observer = new RecordingObserver();
    request.observe(observer);
    new UpstreamStage(gateway.router, gateway.upstreams(), gateway.upstream).apply(request);
    assertThat(new RelayStage(gateway.upstreams()).apply(request)).isEqualTo(Stage.Flow.ANSWERED);
    request.finish();
    return observer;
  }

  @Test
  void aCopiedBodyIsSeenAsSent() {
    gateway.upstream.json(ProxyPipelineTest.json(ProxyPipelineTest.OPENAI_ANSWER));
    TestingResponder out = new TestingResponder();

    RecordingObserver observer =
        relay(PipelineFixture.openAiChat("{'model':'gpt','messages':[]}"), out);

    assertThat(observer.seen)
        .containsExactly("headers 200", "body " + out.text(), "complete ANSWERED 10");
  }

  @Test
  void aTranslatedBodyIsSeenInTheClientsFormat() {
    gateway.upstream.json(ProxyPipelineTest.json(ProxyPipelineTest.ANTHROPIC_ANSWER));
    TestingResponder out = new TestingResponder();

    RecordingObserver observer =
        relay(PipelineFixture.openAiChat("{'model':'claude','messages':[]}"), out);

    assertThat(observer.seen)
        .containsExactly("headers 200", "body " + out.text(), "complete ANSWERED 16");
    assertThat(out.text()).contains("chat.completion");
  }

  @Test
  void aCopiedStreamIsSeenEventByEvent() {
    gateway.upstream.stream(ProxyPipelineTest.json(ProxyPipelineTest.OPENAI_STREAM));

    RecordingObserver observer =
        relay(
            PipelineFixture.openAiChat(
                "{'model':'gpt','stream':true,'stream_options':{'include_usage':true},"
                    + "'messages':[]}"),
            new TestingResponder());

    assertThat(observer.seen).hasSize(1 + 4 + 1);
    assertThat(observer.seen.getFirst()).isEqualTo("headers 200 stream");
    assertThat(observer.seen.get(1)).startsWith("event null {\"id\":\"c1\"");
    assertThat(observer.seen.get(4)).isEqualTo("event null [DONE]");
    assertThat(observer.seen.getLast()).isEqualTo("complete ANSWERED 10");
  }

  @Test
  void aStreamWhoseUsageChunkIsDroppedIsSeenWithoutIt() {
    gateway.upstream.stream(ProxyPipelineTest.json(ProxyPipelineTest.OPENAI_STREAM));

    RecordingObserver observer =
        relay(PipelineFixture.openAiChat("{'model':'gpt','stream':true,'messages':[]}"), out());

    assertThat(observer.seen).hasSize(1 + 3 + 1);
    assertThat(observer.seen.get(1)).startsWith("event null {\"id\":\"c1\"");
    assertThat(observer.seen).noneMatch(line -> line.contains("prompt_tokens"));
    assertThat(observer.seen.get(3)).isEqualTo("event null [DONE]");
    assertThat(observer.seen.getLast()).isEqualTo("complete ANSWERED 10");
  }

  @Test
  void copiedEventsAreNotDecodedForObserversThatDoNotLookAtThem() {
    gateway.upstream.stream(ProxyPipelineTest.json(ProxyPipelineTest.OPENAI_STREAM));
    RequestContext request =
        gateway.routed(
            PipelineFixture.openAiChat("{'model':'gpt','stream':true,'messages':[]}"), out());
    List<String> seen = new ArrayList<>();
    request.observe(
        new ResponseObserver() {
          @Override
          public boolean observesStreamEvents() {
            return false;
          }

          @Override
          public void onStreamEvent(SseEvent event) {
            seen.add(event.data());
          }

          @Override
          public void onComplete(Optional<Usage> usage, Outcome outcome) {
            seen.add("complete " + outcome + " " + usage.map(Usage::totalTokens).orElse(-1L));
          }
        });
    new UpstreamStage(gateway.router, gateway.upstreams(), gateway.upstream).apply(request);
    new RelayStage(gateway.upstreams()).apply(request);
    request.finish();

    // The usage was still read, and the time of the first byte kept.
    assertThat(seen).containsExactly("complete ANSWERED 10");
    assertThat(request.firstByteNanos()).isNotNegative();
  }

  private static TestingResponder out() {
    return new TestingResponder();
  }

  @Test
  void aTranslatedStreamIsSeenAsTheClientsEvents() {
    gateway.upstream.stream(ProxyPipelineTest.json(ProxyPipelineTest.OPENAI_STREAM));

    RecordingObserver observer =
        relay(
            PipelineFixture.anthropicMessages(
                "{'model':'gpt','max_tokens':9,'stream':true,'messages':[]}"),
            new TestingResponder());

    assertThat(observer.seen.getFirst()).isEqualTo("headers 200 stream");
    assertThat(observer.seen.get(1)).startsWith("event message_start ");
    assertThat(observer.seen.get(observer.seen.size() - 2)).startsWith("event message_stop ");
    assertThat(observer.seen.getLast()).isEqualTo("complete ANSWERED 10");
  }

  @Test
  void anUpstreamErrorIsSeenAsAFailure() {
    gateway.upstream.error(
        400, "{\"error\":{\"message\":\"no\",\"type\":\"invalid_request_error\"}}");
    TestingResponder out = new TestingResponder();

    RecordingObserver observer =
        relay(PipelineFixture.openAiChat("{'model':'gpt','messages':[]}"), out);

    assertThat(out.status()).isEqualTo(400);
    assertThat(observer.seen)
        .containsExactly("headers 400", "body " + out.text(), "complete FAILED -1");
  }
}
