package dev.portcullis.gateway.telemetry;

import dev.portcullis.gateway.provider.Operation;

/**
 * The {@code gen_ai.operation.name} of a request, in the OpenTelemetry GenAI conventions' words. A
 * closed set, so it is safe as a metric label.
 */
public enum GenAiOperation {
  CHAT("chat"),
  TEXT_COMPLETION("text_completion"),
  EMBEDDINGS("embeddings"),
  /** Not in the conventions: Anthropic's {@code count_tokens}, which generates nothing. */
  COUNT_TOKENS("count_tokens");

  private final String value;

  GenAiOperation(String value) {
    this.value = value;
  }

  /** The attribute value, e.g. {@code text_completion}. */
  public String value() {
    return value;
  }

  /** The operation of a client endpoint. */
  public static GenAiOperation of(Operation operation) {
    return switch (operation) {
      case CHAT -> CHAT;
      case COMPLETIONS -> TEXT_COMPLETION;
      case EMBEDDINGS -> EMBEDDINGS;
      case COUNT_TOKENS -> COUNT_TOKENS;
    };
  }
}
