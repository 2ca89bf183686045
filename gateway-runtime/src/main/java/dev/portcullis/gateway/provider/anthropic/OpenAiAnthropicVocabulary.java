package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Json.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Correspondence;

/**
 * The terms OpenAI chat completions and Anthropic Messages both have, each correspondence written
 * once and read in both directions by the mappers of both translators: stop reasons, error types,
 * roles, tool choice modes and token counts. OpenAI is the left side of every table, Anthropic the
 * right. The per-format tables of HTTP status to error type live here too, since only this pair's
 * error mappers use them.
 */
final class OpenAiAnthropicVocabulary {
  private OpenAiAnthropicVocabulary() {}

  /**
   * OpenAI {@code finish_reason} ⇄ Anthropic {@code stop_reason}. A missing reason means a normal
   * end on the Anthropic side ({@code end_turn}); on the OpenAI side an absent stop reason stays
   * absent (see {@link #openAiFinishReason}).
   */
  static final Correspondence STOP_REASONS =
      Correspondence.named("stop reason")
          .pair("stop", "end_turn")
          .pair("length", "max_tokens")
          .pair("tool_calls", "tool_use")
          .pair("content_filter", "refusal")
          .rightOnly("stop_sequence", "stop")
          .rightOnly("pause_turn", "stop")
          .rightOnly("model_context_window_exceeded", "length")
          .leftOnly("function_call", "tool_use")
          .defaults("stop", "end_turn");

  /**
   * OpenAI {@code error.type} ⇄ Anthropic {@code error.type}. Anthropic's finer types fold into
   * OpenAI's coarser ones; OpenAI's rate-limit spellings ({@code tokens}, {@code requests}) are
   * rate limits on Anthropic's side.
   */
  static final Correspondence ERROR_TYPES =
      Correspondence.named("error type")
          .pair("invalid_request_error", "invalid_request_error")
          .pair("authentication_error", "authentication_error")
          .pair("permission_error", "permission_error")
          .pair("rate_limit_error", "rate_limit_error")
          .pair("server_error", "api_error")
          .rightOnly("request_too_large", "invalid_request_error")
          .rightOnly("not_found_error", "invalid_request_error")
          .rightOnly("overloaded_error", "server_error")
          .rightOnly("billing_error", "server_error")
          .rightOnly("timeout_error", "server_error")
          .leftOnly("tokens", "rate_limit_error")
          .leftOnly("requests", "rate_limit_error")
          .defaults("server_error", "api_error");

  /**
   * OpenAI message roles ⇄ Anthropic turn roles. OpenAI's {@code tool} messages travel as {@code
   * tool_result} blocks in a user turn. System messages are not turns on Anthropic's side (they
   * fold into the top-level {@code system}), so they are not in this table.
   */
  static final Correspondence ROLES =
      Correspondence.named("role")
          .pair("user", "user")
          .pair("assistant", "assistant")
          .leftOnly("tool", "user")
          .defaults("user", "user");

  /** OpenAI's string {@code tool_choice} ⇄ Anthropic's {@code tool_choice.type}. */
  static final Correspondence TOOL_CHOICE_MODES =
      Correspondence.named("tool choice")
          .pair("auto", "auto")
          .pair("required", "any")
          .pair("none", "none")
          .defaults("auto", "auto");

  /** OpenAI's finish reason for an Anthropic stop reason; null stays null (not finished yet). */
  static String openAiFinishReason(String stopReason) {
    return stopReason == null ? null : STOP_REASONS.toLeft(stopReason);
  }

  /** Anthropic's stop reason for an OpenAI finish reason; a missing reason is a normal end. */
  static String anthropicStopReason(String finishReason) {
    return STOP_REASONS.toRight(finishReason);
  }

  /** OpenAI's error type for an Anthropic one; an absent type is a server error. */
  static String openAiErrorType(String anthropicType) {
    return ERROR_TYPES.toLeft(anthropicType);
  }

  /**
   * Anthropic's error type for an OpenAI error; OpenAI servers also say what happened in {@code
   * code} ({@code invalid_api_key}, {@code rate_limit_exceeded}), which wins when the type is
   * generic.
   */
  static String anthropicErrorType(String openAiType, String openAiCode) {
    if ("invalid_api_key".equals(openAiCode)) {
      return "authentication_error";
    }
    if ("rate_limit_exceeded".equals(openAiCode)
        || (openAiType != null && openAiType.contains("rate_limit"))) {
      return "rate_limit_error";
    }
    return ERROR_TYPES.toRight(openAiType);
  }

  /** Anthropic's error type for an HTTP status, as its API documents them. */
  static String anthropicErrorTypeForStatus(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /** OpenAI's {@code error.type} and {@code error.code} (null when OpenAI sends none). */
  record OpenAiErrorName(String type, String code) {}

  /**
   * OpenAI error type and code for an upstream status. OpenAI's SDKs pick the exception class from
   * the HTTP status, so these only inform people and logs; they follow the names OpenAI uses.
   */
  static OpenAiErrorName openAiErrorNameForStatus(int status, String anthropicType) {
    if ("overloaded_error".equals(anthropicType)) {
      return new OpenAiErrorName("server_error", "overloaded");
    }
    return switch (status) {
      case 401 -> new OpenAiErrorName("authentication_error", "invalid_api_key");
      case 402 -> new OpenAiErrorName("insufficient_quota", "insufficient_quota");
      case 403 -> new OpenAiErrorName("permission_error", "permission_denied");
      case 404 -> new OpenAiErrorName("invalid_request_error", "not_found");
      case 408, 504 -> new OpenAiErrorName("server_error", "timeout");
      case 413 -> new OpenAiErrorName("invalid_request_error", "request_too_large");
      case 429 -> new OpenAiErrorName("rate_limit_error", "rate_limit_exceeded");
      case 503, 529 -> new OpenAiErrorName("server_error", "overloaded");
      default ->
          status >= 500
              ? new OpenAiErrorName("server_error", null)
              : new OpenAiErrorName("invalid_request_error", null);
    };
  }

  /**
   * Token counts in Anthropic's terms, the finer of the two: OpenAI's {@code prompt_tokens}
   * includes cache reads and writes, Anthropic's {@code input_tokens} excludes both and reports
   * them apart. Reading and writing each side's usage object happens here and only here.
   *
   * @param input uncached input tokens (Anthropic {@code input_tokens})
   * @param cacheRead Anthropic {@code cache_read_input_tokens}, OpenAI {@code cached_tokens}
   * @param cacheCreation Anthropic {@code cache_creation_input_tokens}; OpenAI cannot say it apart
   * @param output Anthropic {@code output_tokens}, OpenAI {@code completion_tokens}
   */
  record TokenCounts(long input, long cacheRead, long cacheCreation, long output) {
    static final TokenCounts ZERO = new TokenCounts(0, 0, 0, 0);

    /**
     * Counts from an Anthropic usage object; counts absent from it keep this record's values
     * (streams restate some counts and not others).
     */
    TokenCounts withAnthropic(JsonNode usage) {
      return new TokenCounts(
          count(usage, "input_tokens", input),
          count(usage, "cache_read_input_tokens", cacheRead),
          count(usage, "cache_creation_input_tokens", cacheCreation),
          count(usage, "output_tokens", output));
    }

    /** Counts from an OpenAI usage object (absent counts are zero). */
    static TokenCounts fromOpenAi(JsonNode usage) {
      long prompt = count(usage, "prompt_tokens", 0);
      long cached =
          count(usage == null ? null : usage.get("prompt_tokens_details"), "cached_tokens", 0);
      return new TokenCounts(
          Math.max(0, prompt - cached), cached, 0, count(usage, "completion_tokens", 0));
    }

    ObjectNode toAnthropic() {
      ObjectNode u = object();
      u.put("input_tokens", input);
      u.put("cache_creation_input_tokens", cacheCreation);
      u.put("cache_read_input_tokens", cacheRead);
      u.put("output_tokens", output);
      return u;
    }

    ObjectNode toOpenAi() {
      long prompt = input + cacheRead + cacheCreation;
      ObjectNode u = object();
      u.put("prompt_tokens", prompt);
      u.put("completion_tokens", output);
      u.put("total_tokens", prompt + output);
      u.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
      return u;
    }

    private static long count(JsonNode usage, String field, long fallback) {
      JsonNode v = usage == null ? null : usage.get(field);
      return v != null && v.canConvertToLong() ? v.asLong() : fallback;
    }
  }
}
