package dev.portcullis.gateway.endpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.http.ApiError;
import dev.portcullis.gateway.sse.SseEvent;

/**
 * What every endpoint of one format that clients speak shares: how an error looks, and how a stream
 * ends when it breaks.
 */
public interface ClientFormatFamily extends FormatFamily {
  /** An error body in this format. */
  ObjectNode errorBody(ApiError error);

  /** The event that ends a stream which broke part way, telling the client why. */
  SseEvent streamErrorEvent(ApiError error);

  /**
   * Whether a translated stream's event is a chunk that only reports usage, which a client that did
   * not ask for usage must not see (strict clients reject it).
   */
  default boolean isUsageOnlyEvent(SseEvent event) {
    return false;
  }
}
