package dev.portcullis.gateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The pieces of a Gemini answer in OpenAI terms, shared by whole responses and streams. */
final class GeminiToOpenAi {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private GeminiToOpenAi() {}

  /**
   * OpenAI's {@code finish_reason} for a Gemini {@code finishReason}. Gemini says STOP also when
   * the turn ends in function calls; OpenAI clients expect {@code tool_calls} then.
   */
  static String finishReason(String geminiReason, boolean madeToolCalls) {
    if (madeToolCalls) {
      return "tool_calls";
    }
    if (geminiReason == null) {
      return "stop";
    }
    return switch (geminiReason) {
      case "MAX_TOKENS" -> "length";
      case "SAFETY",
          "RECITATION",
          "BLOCKLIST",
          "PROHIBITED_CONTENT",
          "SPII",
          "IMAGE_SAFETY",
          "LANGUAGE" ->
          "content_filter";
      default -> "stop";
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
    usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens(usageMetadata));
    usage.putObject("completion_tokens_details").put("reasoning_tokens", thoughts);
    return usage;
  }

  private static int cachedTokens(JsonNode usageMetadata) {
    return usageMetadata.path("cachedContentTokenCount").asInt();
  }

  /** Whether a part is thinking the model shows only as a summary (never sent as content). */
  static boolean isThought(JsonNode part) {
    return part.path("thought").asBoolean(false);
  }

  /** An OpenAI tool call ({@code id, type, function}) for a part with a {@code functionCall}. */
  static ObjectNode toolCall(JsonNode part) {
    JsonNode call = part.get("functionCall");
    ObjectNode toolCall = JSON.objectNode();
    String id = call.path("id").asText(null);
    toolCall.put(
        "id",
        id != null ? id : GeminiToolCallIds.newId(part.path("thoughtSignature").asText(null)));
    toolCall.put("type", "function");
    ObjectNode function = toolCall.putObject("function");
    function.put("name", call.path("name").asText());
    JsonNode args = call.get("args");
    function.put("arguments", args == null || args.isNull() ? "{}" : args.toString());
    return toolCall;
  }

  /** Maps an upstream error to OpenAI's {@code error.type} by Gemini status, then HTTP status. */
  static String errorType(String geminiStatus, int httpStatus) {
    if (geminiStatus != null) {
      switch (geminiStatus) {
        case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> {
          return "invalid_request_error";
        }
        case "UNAUTHENTICATED" -> {
          return "authentication_error";
        }
        case "PERMISSION_DENIED" -> {
          return "permission_error";
        }
        case "NOT_FOUND" -> {
          return "not_found_error";
        }
        case "RESOURCE_EXHAUSTED" -> {
          return "rate_limit_error";
        }
        default -> {}
      }
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
}
