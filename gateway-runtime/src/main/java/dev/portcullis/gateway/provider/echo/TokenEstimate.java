package dev.portcullis.gateway.provider.echo;

/**
 * A rough token count for echo usage figures: one token per four characters, the rule of thumb
 * OpenAI gives for English text. Good enough for budgets and rate limits under test; real providers
 * report their own counts.
 */
final class TokenEstimate {
  /** OpenAI's per-message framing overhead in chat prompts. */
  static final int PER_MESSAGE = 3;

  private TokenEstimate() {}

  static int of(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    return (text.codePointCount(0, text.length()) + 3) / 4;
  }

  /** The longest prefix of {@code text} that fits in {@code tokens} by this estimate. */
  static String truncate(String text, int tokens) {
    int codePoints = text.codePointCount(0, text.length());
    if (codePoints <= tokens * 4) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, Math.max(0, tokens) * 4));
  }
}
