package dev.portcullis.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Which answers may be stored: only complete, successful ones. An error, a truncated stream (which
 * {@link StreamAssembler} already refuses to assemble) and a refused or filtered answer are never
 * stored, so a cache hit is never worse than what the upstream would answer on a good day.
 *
 * <p>Complete means: HTTP 200, and every choice (OpenAI) or the message (Anthropic) names why it
 * ended. {@code length} / {@code max_tokens} count as complete: the limit is part of the key, so
 * the same request gets the same cut-off answer. {@code content_filter}, {@code refusal} (and
 * OpenAI's {@code message.refusal}), and Anthropic's {@code pause_turn} (the turn is unfinished)
 * are not storable.
 */
public final class Storability {
  private static final Set<String> OPENAI_NOT_STORABLE = Set.of("content_filter", "refusal");
  private static final Set<String> ANTHROPIC_NOT_STORABLE = Set.of("refusal", "pause_turn");

  private Storability() {}

  /** Whether {@code answer}, in the client's format, may be stored. */
  public static boolean isStorable(CachedOperation operation, int status, ObjectNode answer) {
    if (status != 200 || answer == null || answer.has("error")) {
      return false;
    }
    return switch (operation) {
      case OPENAI_CHAT_COMPLETIONS, OPENAI_COMPLETIONS -> openAiComplete(answer);
      case ANTHROPIC_MESSAGES -> {
        JsonNode reason = answer.get("stop_reason");
        yield "message".equals(answer.path("type").asText())
            && reason != null
            && reason.isTextual()
            && !ANTHROPIC_NOT_STORABLE.contains(reason.textValue());
      }
    };
  }

  private static boolean openAiComplete(ObjectNode answer) {
    JsonNode choices = answer.get("choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      return false;
    }
    for (JsonNode choice : choices) {
      JsonNode reason = choice.get("finish_reason");
      if (reason == null
          || !reason.isTextual()
          || OPENAI_NOT_STORABLE.contains(reason.textValue())) {
        return false;
      }
      if (choice.path("message").hasNonNull("refusal")) {
        return false;
      }
    }
    return true;
  }
}
