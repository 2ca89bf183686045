package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One generation endpoint's wire format: how to read its request and how to write its reply, whole
 * or streamed. Adding a protocol means adding one implementation.
 */
interface ChatFormat {
  Protocol protocol();

  /**
   * @param body the parsed request
   * @param pathModel the model named in the path (Gemini, Azure deployment), or {@code null}
   * @param streamEndpoint true if the endpoint itself streams (Gemini {@code
   *     :streamGenerateContent})
   */
  RequestFacts read(JsonNode body, String pathModel, boolean streamEndpoint);

  /** Prefix of response ids, e.g. {@code chatcmpl-}. */
  String idPrefix();

  /** Prefix of tool call ids. */
  String toolIdPrefix();

  /** The whole reply as a non-streamed body. */
  byte[] body(Reply reply);

  /** Content type of a streamed reply. */
  default String streamContentType() {
    return "text/event-stream; charset=utf-8";
  }

  /** The events of a streamed reply; a new, single-use instance per reply. */
  StreamEvents stream(Reply reply);

  /** The byte chunks of one streamed reply, asked for in order. */
  interface StreamEvents {
    /** What goes before the first token (may be empty). */
    byte[] begin();

    /** The event carrying piece {@code index}, or {@code null} if this format sends none. */
    byte[] piece(int index);

    /** What closes the stream: finish reason, usage, terminator. */
    byte[] end();
  }
}
