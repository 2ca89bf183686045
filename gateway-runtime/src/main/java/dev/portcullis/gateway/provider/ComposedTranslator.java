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
    return chain(
        hubToUpstream.stream(operation, clientModel), clientToHub.stream(operation, clientModel));
  }

  /**
   * Each hop sees the request in its own client format: the outer one the client's request, the
   * inner one that request translated to the hub format (translated again here, once per stream,
   * since the pipeline keeps only the client's and the upstream's bodies).
   */
  @Override
  public StreamTranslator stream(
      Operation operation, String clientModel, ObjectNode clientRequest) {
    if (clientRequest == null) {
      return stream(operation, clientModel);
    }
    ObjectNode hubRequest = clientToHub.request(operation, clientRequest);
    return chain(
        hubToUpstream.stream(operation, clientModel, hubRequest),
        clientToHub.stream(operation, clientModel, clientRequest));
  }

  private static StreamTranslator chain(StreamTranslator inner, StreamTranslator outer) {
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
