package dev.portcullis.gateway.provider;

/**
 * Tokens one upstream call consumed, normalized across wire formats for cost accounting.
 *
 * @param inputTokens every prompt token, cached ones included (OpenAI's {@code prompt_tokens};
 *     Anthropic's {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens})
 * @param outputTokens generated tokens, reasoning/thinking included
 * @param cachedInputTokens the part of {@code inputTokens} served from the provider's prompt cache
 *     (billed at the cached-input price)
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens) {
  public static final Usage ZERO = new Usage(0, 0, 0);

  public Usage {
    if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /** Input tokens billed at the full input price. */
  public long uncachedInputTokens() {
    return Math.max(0, inputTokens - cachedInputTokens);
  }

  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cachedInputTokens + other.cachedInputTokens);
  }
}
