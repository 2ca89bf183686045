package dev.portcullis.gateway.pipeline;

import java.util.OptionalLong;

/**
 * The bounds on request fields that multiply the work one request causes (choices, candidates,
 * output tokens), checked before any work — routing, limits, the upstream or the {@code echo}
 * provider — so that one request cannot exhaust the gateway's memory or a key's budget reservation.
 * The bounds are the largest any provider accepts today; a value beyond them gets a 400 naming the
 * field.
 */
final class WorkLimits {
  /** OpenAI's own maximum for {@code n}. */
  static final long MAX_CHOICES = 128;

  /** OpenAI's own maximum for {@code best_of} (legacy completions). */
  static final long MAX_BEST_OF = 20;

  /** Above every model's output limit today (the largest are 128k–200k tokens). */
  static final long MAX_OUTPUT_TOKENS = 1_000_000;

  private WorkLimits() {}

  /** Refuses a body whose counts are out of bounds; fields of the wrong type fail earlier. */
  static void check(RequestBody body) {
    within(body, "n", 1, MAX_CHOICES);
    within(body, "best_of", 1, MAX_BEST_OF);
    within(body, "max_tokens", 0, MAX_OUTPUT_TOKENS);
    within(body, "max_completion_tokens", 0, MAX_OUTPUT_TOKENS);
    within(body, "max_output_tokens", 0, MAX_OUTPUT_TOKENS);
  }

  private static void within(RequestBody body, String field, long min, long max) {
    OptionalLong value = body.integer(field);
    if (value.isPresent() && (value.getAsLong() < min || value.getAsLong() > max)) {
      throw RequestBody.badRequest(
          "Field '" + field + "' must be between " + min + " and " + max + ".", field);
    }
  }
}
