package dev.portcullis.gateway.guardrail;

import java.util.function.ToIntFunction;

/**
 * Counts tokens of a text for the {@code length} check's {@code maxTokens}. The gateway passes its
 * one shared tokenizer (the o200k encoding behind {@code pipeline.LocalTokenCounter}) so the 35 MB
 * vocabulary is loaded once per process, not once more for the guardrails.
 */
@FunctionalInterface
public interface TokenCounter {
  int count(String text);

  /**
   * A lower bound of {@link #count} that costs a fraction of counting (the gateway's: the o200k
   * pre-tokenizer's pieces, each at least one token); 0 when the counter has none.
   */
  default int atLeast(String text) {
    return 0;
  }

  /** A counter from its two functions. */
  static TokenCounter of(ToIntFunction<String> count, ToIntFunction<String> atLeast) {
    return new TokenCounter() {
      @Override
      public int count(String text) {
        return count.applyAsInt(text);
      }

      @Override
      public int atLeast(String text) {
        return atLeast.applyAsInt(text);
      }
    };
  }
}
