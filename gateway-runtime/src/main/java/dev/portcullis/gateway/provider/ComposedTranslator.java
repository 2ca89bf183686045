package dev.portcullis.gateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Two translators chained through a hub format (OpenAI): requests go client → hub → upstream;
 * responses, stream events and errors come back upstream → hub → client. Lets a new upstream format
 * serve every client format with one translator from the hub.
 */
public final class ComposedTranslator implements Translator {
  private final Translator clientToHub;
  private final Translator hubToUpstream;

  /**
   * @param clientToHub client format in front of the hub format
   * @param hubToUpstream hub format in front of the upstream format
   */
  public ComposedTranslator(Translator clientToHub, Translator hubToUpstream) {
    if (clientToHub.upstream() != hubToUpstream.client()) {
      throw new IllegalArgumentException(
          "cannot chain "
              + clientToHub.client()
              + "→"
              + clientToHub.upstream()
              + " with "
              + hubToUpstream.client()
              + "→"
              + hubToUpstream.upstream()
              + ": the hub formats differ");
    }
    this.clientToHub = clientToHub;
    this.hubToUpstream = hubToUpstream;
  }

  @Override
  public WireFormat client() {
    return clientToHub.client();
  }

  @Override
  public WireFormat upstream() {
    return hubToUpstream.upstream();
  }

  @Override
  public ObjectNode request(Operation operation, ObjectNode clientRequest) {
    return hubToUpstream.request(operation, clientToHub.request(operation, clientRequest));
  }

  @Override
  public ObjectNode response(Operation operation, ObjectNode upstreamResponse, String clientModel) {
    ObjectNode hub = hubToUpstream.response(operation, upstreamResponse, clientModel);
    return clientToHub.response(operation, hub, clientModel);
  }

  @Override
  public StreamTranslator stream(Operation operation, String clientModel) {
    StreamTranslator inner = hubToUpstream.stream(operation, clientModel);
    StreamTranslator outer = clientToHub.stream(operation, clientModel);
    return new StreamTranslator() {
      @Override
      public List<SseEvent> onEvent(SseEvent upstreamEvent) {
        return throughOuter(inner.onEvent(upstreamEvent));
      }

      @Override
      public List<SseEvent> finish() {
        // The hub stream's own ending (e.g. [DONE]) reaches the outer translator as the events
        // a real hub-format upstream would have sent, before the outer one finishes.
        List<SseEvent> out = throughOuter(inner.finish());
        out.addAll(outer.finish());
        return out;
      }

      private List<SseEvent> throughOuter(List<SseEvent> hubEvents) {
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent hubEvent : hubEvents) {
          out.addAll(outer.onEvent(hubEvent));
        }
        return out;
      }
    };
  }

  @Override
  public ObjectNode error(int status, ObjectNode upstreamError) {
    return clientToHub.error(status, hubToUpstream.error(status, upstreamError));
  }

  @Override
  public String toString() {
    return "ComposedTranslator[" + client() + "→" + clientToHub.upstream() + "→" + upstream() + "]";
  }
}
