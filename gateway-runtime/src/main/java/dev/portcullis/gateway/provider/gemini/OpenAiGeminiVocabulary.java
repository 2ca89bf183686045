package dev.portcullis.gateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Correspondence;

/**
 * The terms OpenAI and Gemini both have, each correspondence written once (OpenAI on the left,
 * Gemini on the right) and read by the request, response, stream and error mappers: finish reasons,
 * roles, tool choice modes, error types, token counts. Gemini is never a client format, so most
 * tables are read in one direction today; written as pairs, they serve the other direction
 * unchanged when it comes.
 */
final class OpenAiGeminiVocabulary {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private OpenAiGeminiVocabulary() {}

  /** OpenAI {@code finish_reason} ⇄ Gemini {@code finishReason}; Gemini's safety family folds. */
  static final Correspondence FINISH_REASONS =
      Correspondence.named("finish reason")
          .pair("stop", "STOP")
          .pair("length", "MAX_TOKENS")
          .pair("content_filter", "SAFETY")
          .rightOnly("RECITATION", "content_filter")
          .rightOnly("BLOCKLIST", "content_filter")
          .rightOnly("PROHIBITED_CONTENT", "content_filter")
          .rightOnly("SPII", "content_filter")
          .rightOnly("IMAGE_SAFETY", "content_filter")
          .rightOnly("LANGUAGE", "content_filter")
          .defaults("stop", "STOP");

  /** OpenAI message roles ⇄ Gemini content roles. */
  static final Correspondence ROLES =
      Correspondence.named("role")
          .pair("user", "user")
          .pair("assistant", "model")
          .leftOnly("tool", "user")
          .defaults("user", "user");

  /** OpenAI's string {@code tool_choice} ⇄ Gemini's {@code functionCallingConfig.mode}. */
  static final Correspondence TOOL_CHOICE_MODES =
      Correspondence.named("tool choice")
          .pair("auto", "AUTO")
          .pair("required", "ANY")
          .pair("none", "NONE")
          .defaults("auto", "AUTO");

  /**
   * OpenAI {@code error.type} ⇄ Gemini {@code error.status}. A status outside the table has no
   * OpenAI type of its own (null); the HTTP status decides then.
   */
  static final Correspondence ERROR_TYPES =
      Correspondence.named("error type")
          .pair("invalid_request_error", "INVALID_ARGUMENT")
          .pair("authentication_error", "UNAUTHENTICATED")
          .pair("permission_error", "PERMISSION_DENIED")
          .pair("not_found_error", "NOT_FOUND")
          .pair("rate_limit_error", "RESOURCE_EXHAUSTED")
          .rightOnly("FAILED_PRECONDITION", "invalid_request_error")
          .rightOnly("OUT_OF_RANGE", "invalid_request_error")
          .defaults(null, null);

  /**
   * OpenAI's {@code finish_reason} for a Gemini {@code finishReason}. Gemini says STOP also when
   * the turn ends in function calls; OpenAI clients expect {@code tool_calls} then.
   */
  static String finishReason(String geminiReason, boolean madeToolCalls) {
    return madeToolCalls ? "tool_calls" : FINISH_REASONS.toLeft(geminiReason);
  }

  /** OpenAI's {@code error.type} for an upstream error, by Gemini status, then HTTP status. */
  static String errorType(String geminiStatus, int httpStatus) {
    String byStatus = ERROR_TYPES.toLeft(geminiStatus);
    if (byStatus != null) {
      return byStatus;
    }
    return switch (httpStatus) {
      case 400, 409, 413, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      default -> httpStatus >= 500 ? "server_error" : "api_error";
    };
  }

  /** OpenAI {@code usage} from Gemini {@code usageMetadata}, or null when there is none. */
  static ObjectNode usage(JsonNode usageMetadata) {
    if (usageMetadata == null || !usageMetadata.isObject()) {
      return null;
    }
    int prompt =
        usageMetadata.path("promptTokenCount").asInt()
            + usageMetadata.path("toolUsePromptTokenCount").asInt();
    int thoughts = usageMetadata.path("thoughtsTokenCount").asInt();
    // OpenAI counts reasoning tokens into completion_tokens; Gemini reports them apart.
    int completion = usageMetadata.path("candidatesTokenCount").asInt() + thoughts;
    int total = usageMetadata.path("totalTokenCount").asInt(prompt + completion);
    ObjectNode usage = JSON.objectNode();
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", Math.max(total, prompt + completion));
    usage
        .putObject("prompt_tokens_details")
        .put("cached_tokens", usageMetadata.path("cachedContentTokenCount").asInt());
    usage.putObject("completion_tokens_details").put("reasoning_tokens", thoughts);
    return usage;
  }
}
