package dev.portcullis.gateway.provider;

import dev.portcullis.gateway.sse.SseEvent;
import java.util.List;

/** Stateful translation of one upstream event stream into the client's events. */
public interface StreamTranslator {
  /** The client events for one upstream event (possibly none). */
  List<SseEvent> onEvent(SseEvent upstreamEvent);

  /** Events to close the client stream after the upstream ended (e.g. {@code data: [DONE]}). */
  List<SseEvent> finish();
}
