/**
 * Servers that speak OpenAI's API under their own base URL (vLLM, Ollama, Groq, Together, Mistral,
 * DeepSeek, OpenRouter, LM Studio). {@code baseUrl} is required and is the URL their docs give for
 * the OpenAI SDK; {@code Authorization: Bearer} is sent only when the target has credentials.
 */
package dev.portcullis.gateway.provider.compatible;
