package dev.portcullis.gateway.provider;

/** What a request asks an upstream to do, independent of wire format. */
public enum Operation {
  /** OpenAI chat.completions, Anthropic messages, Gemini generateContent. */
  CHAT,
  /** OpenAI legacy completions. */
  COMPLETIONS,
  /** OpenAI embeddings, Gemini embedContent. */
  EMBEDDINGS,
  /** Anthropic messages/count_tokens. */
  COUNT_TOKENS,
  /**
   * OpenAI responses. Upstreams that do not speak the Responses API are asked for {@link #CHAT}
   * with a translated body ({@link Translator#upstreamOperation}).
   */
  RESPONSES
}
