package dev.portcullis.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComposedTranslatorTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Stamps its name on everything it translates, so tests can see the order of the hops. */
  private record StampingTranslator(WireFormat client, WireFormat upstream, String name)
      implements Translator {
    @Override
    public ObjectNode request(Operation operation, ObjectNode clientRequest) {
      return stamp(clientRequest);
    }

    @Override
    public ObjectNode response(
        Operation operation, ObjectNode upstreamResponse, String clientModel) {
      return stamp(upstreamResponse).put("model", clientModel);
    }

    @Override
    public StreamTranslator stream(Operation operation, String clientModel) {
      return new StreamTranslator() {
        private int seen;

        @Override
        public List<SseEvent> onEvent(SseEvent upstreamEvent) {
          seen++;
          return List.of(SseEvent.data(upstreamEvent.data() + ">" + name));
        }

        @Override
        public List<SseEvent> finish() {
          return List.of(SseEvent.data("end of " + name + " after " + seen));
        }
      };
    }

    @Override
    public ObjectNode error(int status, ObjectNode upstreamError) {
      ObjectNode error = JSON.objectNode();
      error.put("by", name);
      error.put("status", status);
      error.set("inner", upstreamError);
      return error;
    }

    private ObjectNode stamp(ObjectNode body) {
      ObjectNode copy = body.deepCopy();
      (copy.has("trail") ? copy.withArray("trail") : copy.putArray("trail")).add(name);
      return copy;
    }
  }

  private final ComposedTranslator composed =
      new ComposedTranslator(
          new StampingTranslator(WireFormat.ANTHROPIC, WireFormat.OPENAI, "client-side"),
          new StampingTranslator(WireFormat.OPENAI, WireFormat.GEMINI, "upstream-side"));

  @Test
  void speaksTheOuterFormats() {
    assertThat(composed.client()).isEqualTo(WireFormat.ANTHROPIC);
    assertThat(composed.upstream()).isEqualTo(WireFormat.GEMINI);
  }

  @Test
  void requestsGoThroughTheClientSideFirst() {
    ObjectNode request = composed.request(Operation.CHAT, JSON.objectNode());

    assertThat(request.get("trail").toString()).isEqualTo("[\"client-side\",\"upstream-side\"]");
  }

  @Test
  void responsesGoThroughTheUpstreamSideFirstAndKeepTheClientModel() {
    ObjectNode response = composed.response(Operation.CHAT, JSON.objectNode(), "claude-x");

    assertThat(response.get("trail").toString()).isEqualTo("[\"upstream-side\",\"client-side\"]");
    assertThat(response.get("model").asText()).isEqualTo("claude-x");
  }

  @Test
  void streamEventsGoThroughTheUpstreamSideThenTheClientSide() {
    StreamTranslator stream = composed.stream(Operation.CHAT, "m");

    assertThat(stream.onEvent(SseEvent.data("chunk")))
        .containsExactly(SseEvent.data("chunk>upstream-side>client-side"));
  }

  @Test
  void finishingFeedsTheUpstreamSidesEndingToTheClientSideBeforeClosingIt() {
    StreamTranslator stream = composed.stream(Operation.CHAT, "m");
    stream.onEvent(SseEvent.data("chunk"));

    assertThat(stream.finish())
        .containsExactly(
            SseEvent.data("end of upstream-side after 1>client-side"),
            SseEvent.data("end of client-side after 2"));
  }

  @Test
  void errorsAreTranslatedByTheUpstreamSideThenTheClientSide() {
    ObjectNode error = composed.error(429, JSON.objectNode().put("raw", true));

    assertThat(error.get("by").asText()).isEqualTo("client-side");
    assertThat(error.at("/inner/by").asText()).isEqualTo("upstream-side");
    assertThat(error.at("/inner/inner/raw").asBoolean()).isTrue();
    assertThat(error.at("/inner/status").asInt()).isEqualTo(429);
  }

  @Test
  void refusesTranslatorsThatDoNotMeetInTheHub() {
    assertThatThrownBy(
            () ->
                new ComposedTranslator(
                    new StampingTranslator(WireFormat.ANTHROPIC, WireFormat.OPENAI, "a"),
                    new StampingTranslator(WireFormat.ANTHROPIC, WireFormat.GEMINI, "b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hub");
  }
}
