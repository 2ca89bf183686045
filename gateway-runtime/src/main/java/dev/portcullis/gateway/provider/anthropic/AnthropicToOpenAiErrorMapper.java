package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Json.object;
import static dev.portcullis.gateway.provider.anthropic.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAI errors as Anthropic errors, for Anthropic clients: a whole error body (typed by HTTP
 * status, as Anthropic's API types them) and an error chunk in a stream (typed by its OpenAI type
 * and code). The upstream's message is kept.
 */
final class AnthropicToOpenAiErrorMapper {
  private AnthropicToOpenAiErrorMapper() {}

  /** An OpenAI error body (any JSON, possibly empty) as Anthropic's error body. */
  static ObjectNode body(int status, ObjectNode upstreamError) {
    String message = Json.errorMessage(upstreamError);
    if (message == null) {
      message = "The OpenAI upstream answered HTTP " + status;
    }
    return anthropicError(OpenAiAnthropicVocabulary.anthropicErrorTypeForStatus(status), message);
  }

  /** An OpenAI stream chunk holding {@code error} as Anthropic's error event body. */
  static ObjectNode streamEvent(JsonNode chunk) {
    JsonNode error = chunk.get("error");
    String message = error.isTextual() ? error.asText() : text(error, "message");
    return anthropicError(
        OpenAiAnthropicVocabulary.anthropicErrorType(text(error, "type"), text(error, "code")),
        message != null ? message : "upstream stream failed");
  }

  /** The error a stream ends with when the upstream stopped before the answer was complete. */
  static ObjectNode truncatedStream() {
    return anthropicError(
        "api_error", "The upstream stream ended before the response was complete");
  }

  private static ObjectNode anthropicError(String type, String message) {
    ObjectNode out = object().put("type", "error");
    out.putObject("error").put("type", type).put("message", message);
    return out;
  }
}
