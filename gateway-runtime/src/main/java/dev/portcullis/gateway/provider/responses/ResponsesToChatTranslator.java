package dev.portcullis.gateway.provider.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.WireFormat;

/**
 * Responses API clients in front of chat completions upstreams (OpenAI-compatible servers, {@code
 * echo}; Anthropic and Gemini through {@code ComposedTranslator}). The request is asked upstream as
 * a chat request ({@link #upstreamOperation}); each part is handed to its mapper.
 */
public final class ResponsesToChatTranslator implements Translator {
  @Override
  public WireFormat client() {
    return WireFormat.OPENAI_RESPONSES;
  }

  @Override
  public WireFormat upstream() {
    return WireFormat.OPENAI;
  }

  @Override
  public Operation upstreamOperation(Operation clientOperation) {
    return clientOperation == Operation.RESPONSES ? Operation.CHAT : clientOperation;
  }

  @Override
  public ObjectNode request(Operation operation, ObjectNode clientRequest) {
    check(operation);
    return ResponsesToChatRequestMapper.request(clientRequest);
  }

  @Override
  public ObjectNode response(Operation operation, ObjectNode upstreamResponse, String clientModel) {
    check(operation);
    return ResponsesToChatResponseMapper.response(upstreamResponse, clientModel);
  }

  @Override
  public StreamTranslator stream(Operation operation, String clientModel) {
    check(operation);
    return new ResponsesToChatStreamMapper(clientModel);
  }

  @Override
  public ObjectNode error(int status, ObjectNode upstreamError) {
    return ResponsesToChatErrorMapper.body(status, upstreamError);
  }

  private static void check(Operation operation) {
    if (operation != Operation.RESPONSES) {
      throw new IllegalArgumentException("Responses API clients only ask for responses");
    }
  }
}
