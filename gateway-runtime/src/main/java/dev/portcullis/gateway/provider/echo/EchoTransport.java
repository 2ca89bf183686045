package dev.portcullis.gateway.provider.echo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.provider.UpstreamTimeouts;
import dev.portcullis.gateway.provider.UpstreamTransport;
import java.io.IOException;

/**
 * Answers echo requests in-process, exactly as an OpenAI server would on the wire: same paths, same
 * JSON and SSE bodies, same error shape. Streaming is decided by the body's {@code stream} field,
 * as on OpenAI.
 */
final class EchoTransport implements UpstreamTransport {
  private static final ObjectMapper MAPPER = Jackson.MAPPER;

  @Override
  public UpstreamResponse send(UpstreamRequest request, UpstreamTimeouts timeouts) {
    if (!"POST".equals(request.method())) {
      return EchoResponse.error(
          405, "invalid_request_error", "echo accepts POST only, got " + request.method());
    }
    ObjectNode body;
    try {
      JsonNode parsed = MAPPER.readTree(request.body());
      if (!(parsed instanceof ObjectNode object)) {
        return EchoResponse.error(400, "invalid_request_error", "the body must be a JSON object");
      }
      body = object;
    } catch (JsonProcessingException e) {
      return EchoResponse.error(
          400, "invalid_request_error", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return EchoResponse.error(400, "invalid_request_error", "the body could not be read");
    }
    String path = request.uri().getPath();
    return switch (path) {
      case EchoProvider.CHAT_PATH -> EchoChatCompletions.answer(body);
      case EchoProvider.COMPLETIONS_PATH -> EchoCompletions.answer(body);
      case EchoProvider.EMBEDDINGS_PATH -> EchoEmbeddings.answer(body);
      default -> EchoResponse.error(404, "invalid_request_error", "unknown path " + path);
    };
  }
}
