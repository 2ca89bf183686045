package dev.portcullis.gateway.guardrail;

/**
 * Counts tokens of a text for the {@code length} check's {@code maxTokens}. The gateway passes its
 * one shared tokenizer (the o200k encoding behind {@code pipeline.LocalTokenCounter}) so the 35 MB
 * vocabulary is loaded once per process, not once more for the guardrails.
 */
@FunctionalInterface
public interface TokenCounter {
  int count(String text);
}
