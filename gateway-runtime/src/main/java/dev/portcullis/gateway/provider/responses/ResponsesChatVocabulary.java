package dev.portcullis.gateway.provider.responses;

import dev.portcullis.gateway.provider.Correspondence;
import java.util.Set;

/**
 * The terms of the Responses API and of chat completions that name the same thing, each written
 * once (left: chat completions, right: Responses API) and read in both directions by the mappers.
 */
final class ResponsesChatVocabulary {
  private ResponsesChatVocabulary() {}

  /** The Responses API's status of a finished answer. */
  static final String COMPLETED = "completed";

  static final String INCOMPLETE = "incomplete";

  /**
   * Why an answer ended: a chat {@code finish_reason} ⇄ {@code completed} or the reason in a
   * Responses API answer's {@code incomplete_details.reason}. A tool call is a completed response
   * whose output holds {@code function_call} items.
   */
  static final Correspondence ENDING =
      Correspondence.named("finish reason")
          .pair("stop", COMPLETED)
          .pair("length", "max_output_tokens")
          .pair("content_filter", "content_filter")
          .leftOnly("tool_calls", COMPLETED)
          .leftOnly("function_call", COMPLETED)
          .defaults("stop", COMPLETED);

  /** Message roles: the same four words on both sides. */
  static final Correspondence ROLE =
      Correspondence.named("role")
          .pair("user", "user")
          .pair("assistant", "assistant")
          .pair("system", "system")
          .pair("developer", "developer")
          .defaults("user", "user");

  /**
   * Content part types: chat {@code text} is {@code input_text} in requests and {@code output_text}
   * in answers (and in assistant history).
   */
  static final Correspondence PART =
      Correspondence.named("content part type")
          .pair("text", "input_text")
          .pair("image_url", "input_image")
          .pair("file", "input_file")
          .rightOnly("output_text", "text")
          .rightOnly("refusal", "text")
          .defaults("text", "input_text");

  /** {@code tool_choice} modes given as a string: the same words on both sides. */
  static final Correspondence TOOL_CHOICE =
      Correspondence.named("tool choice")
          .pair("auto", "auto")
          .pair("none", "none")
          .pair("required", "required")
          .defaults("auto", "auto");

  /** Input item types that stand for a chat message, a tool call and a tool result. */
  static final String MESSAGE_ITEM = "message";

  static final String FUNCTION_CALL_ITEM = "function_call";
  static final String FUNCTION_CALL_OUTPUT_ITEM = "function_call_output";

  /** Input items dropped on the way to chat: the model's reasoning history (chat has no field). */
  static final Set<String> DROPPED_ITEMS = Set.of("reasoning");

  /** The Responses API status of an ending term ({@link #ENDING}'s right side). */
  static String status(String ending) {
    return COMPLETED.equals(ending) ? COMPLETED : INCOMPLETE;
  }
}
