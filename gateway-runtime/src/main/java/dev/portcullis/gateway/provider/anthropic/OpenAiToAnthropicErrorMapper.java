package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Json.object;
import static dev.portcullis.gateway.provider.anthropic.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.anthropic.OpenAiAnthropicVocabulary.OpenAiErrorName;

/**
 * Anthropic errors as OpenAI errors, for OpenAI clients: a whole error body (named by HTTP status)
 * and an {@code error} event in a stream (named by its Anthropic type). The upstream's message is
 * kept.
 */
final class OpenAiToAnthropicErrorMapper {
  private OpenAiToAnthropicErrorMapper() {}

  /** An Anthropic error body (any JSON, possibly empty) as OpenAI's error body. */
  static ObjectNode body(int status, ObjectNode upstreamError) {
    String message = Json.errorMessage(upstreamError);
    if (message == null) {
      message = "The Anthropic upstream answered HTTP " + status;
    }
    JsonNode error = upstreamError == null ? null : upstreamError.get("error");
    String anthropicType = error != null ? text(error, "type") : null;
    OpenAiErrorName name =
        OpenAiAnthropicVocabulary.openAiErrorNameForStatus(status, anthropicType);
    return openAiError(message, name.type(), name.code());
  }

  /** The {@code error} object of an Anthropic stream error event as an OpenAI stream error. */
  static ObjectNode streamEvent(JsonNode anthropicError) {
    return openAiError(
        anthropicError.path("message").asText("upstream stream failed"),
        OpenAiAnthropicVocabulary.openAiErrorType(text(anthropicError, "type")),
        null);
  }

  /** The error a stream ends with when the upstream stopped before the answer was complete. */
  static ObjectNode truncatedStream() {
    return openAiError(
        "The upstream stream ended before the response was complete",
        "server_error",
        "upstream_stream_truncated");
  }

  private static ObjectNode openAiError(String message, String type, String code) {
    ObjectNode body = object();
    ObjectNode e = body.putObject("error");
    e.put("message", message);
    e.put("type", type);
    if (code == null) {
      e.putNull("code");
    } else {
      e.put("code", code);
    }
    e.putNull("param");
    return body;
  }
}
