package dev.portcullis.gateway.provider;

/** A family of JSON wire protocols: what clients speak and what upstreams speak. */
public enum WireFormat {
  /** OpenAI chat/completions/embeddings (also Azure OpenAI and OpenAI-compatible servers). */
  OPENAI,
  /** Anthropic Messages API. */
  ANTHROPIC,
  /** Google Gemini native generateContent / streamGenerateContent. Never a client format. */
  GEMINI
}
