package dev.portcullis.gateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * Gemini errors as OpenAI errors, for a whole error body and for an error inside a stream (OpenAI
 * streams an error as a data event holding an {@code error} object): the message kept, the type by
 * Gemini status then HTTP status, the Gemini status (lower case) as {@code code}.
 */
final class OpenAiToGeminiErrorMapper {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private OpenAiToGeminiErrorMapper() {}

  /** A Gemini error body (any JSON, possibly empty) as OpenAI's error body. */
  static ObjectNode body(int status, ObjectNode upstreamError) {
    JsonNode error = upstreamError == null ? null : upstreamError.get("error");
    String message = null;
    String geminiStatus = null;
    if (error != null && error.isObject()) {
      message = error.path("message").asText(null);
      geminiStatus = error.path("status").asText(null);
    } else if (error != null && error.isTextual()) {
      message = error.asText();
    }
    return openAiError(
        message == null || message.isBlank()
            ? "The Gemini upstream answered HTTP " + status + " without an error message"
            : message,
        geminiStatus,
        status);
  }

  /** The {@code error} object of a Gemini stream event as an OpenAI stream error. */
  static ObjectNode streamEvent(JsonNode geminiError) {
    return openAiError(
        geminiError.path("message").asText("Gemini stream failed"),
        geminiError.path("status").asText(null),
        geminiError.path("code").asInt(500));
  }

  private static ObjectNode openAiError(String message, String geminiStatus, int httpStatus) {
    ObjectNode body = JSON.objectNode();
    ObjectNode out = body.putObject("error");
    out.put("message", message);
    out.put("type", OpenAiGeminiVocabulary.errorType(geminiStatus, httpStatus));
    out.putNull("param");
    if (geminiStatus != null) {
      out.put("code", geminiStatus.toLowerCase(Locale.ROOT));
    } else {
      out.putNull("code");
    }
    return body;
  }
}
