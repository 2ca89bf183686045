package dev.portcullis.gateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Translates between one client wire format and one upstream wire format, both ways. Stateless and
 * thread-safe; streams get a fresh stateful {@link StreamTranslator} each.
 */
public interface Translator {
  WireFormat client();

  WireFormat upstream();

  /**
   * What the upstream is asked to do for a client operation: the same, unless the translation
   * changes it (a Responses API request becomes a chat request).
   */
  default Operation upstreamOperation(Operation clientOperation) {
    return clientOperation;
  }

  /** A client request body to the upstream's format. */
  ObjectNode request(Operation operation, ObjectNode clientRequest);

  /** A successful upstream response body to the client's format. */
  ObjectNode response(Operation operation, ObjectNode upstreamResponse, String clientModel);

  /** A new translator for one upstream stream. */
  StreamTranslator stream(Operation operation, String clientModel);

  /**
   * A new translator for one upstream stream, for translators whose client events depend on the
   * client's request (e.g. OpenAI {@code stream_options.include_usage} asks for a usage chunk). The
   * pipeline calls this one; the default ignores the request.
   */
  default StreamTranslator stream(
      Operation operation, String clientModel, ObjectNode clientRequest) {
    return stream(operation, clientModel);
  }

  /**
   * An upstream error body (any JSON, possibly empty) to the client's error format, keeping the
   * upstream's message.
   */
  ObjectNode error(int status, ObjectNode upstreamError);
}
