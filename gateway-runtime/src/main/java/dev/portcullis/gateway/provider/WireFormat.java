package dev.portcullis.gateway.provider;

/** A family of JSON wire protocols: what clients speak and what upstreams speak. */
public enum WireFormat {
  /** OpenAI chat/completions/embeddings (also Azure OpenAI and OpenAI-compatible servers). */
  OPENAI,
  /**
   * OpenAI Responses API ({@code /v1/responses}): served natively by OpenAI and Azure OpenAI,
   * translated to chat completions for every other upstream.
   */
  OPENAI_RESPONSES,
  /** Anthropic Messages API. */
  ANTHROPIC,
  /** Google Gemini native generateContent / streamGenerateContent. Never a client format. */
  GEMINI
}
