package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code length} check: fires when the text has more characters than {@code maxCharacters} or
 * more tokens than {@code maxTokens}, counted with the gateway's tokenizer (o200k). Characters are
 * counted first: when they already exceed the limit, no tokenizing is needed. On input it judges
 * all text parts together.
 */
final class CompiledLengthCheck implements ContentCheck {
  private final int maxCharacters;
  private final int maxTokens;
  private final TokenCounter tokens;

  private CompiledLengthCheck(int maxCharacters, int maxTokens, TokenCounter tokens) {
    this.maxCharacters = maxCharacters;
    this.maxTokens = maxTokens;
    this.tokens = tokens;
  }

  static CompiledLengthCheck compile(JsonNode settings, CheckTypeRegistry.CompileContext context) {
    int chars = settings.path("maxCharacters").asInt(0);
    int toks = settings.path("maxTokens").asInt(0);
    if (chars <= 0 && toks <= 0) {
      throw new GuardrailCompileException("length: set maxTokens or maxCharacters (at least 1)");
    }
    return new CompiledLengthCheck(chars, toks, context.tokens());
  }

  @Override
  public Reading reading() {
    return Reading.WHOLE_TEXT;
  }

  @Override
  public boolean fires(String text, CheckContext context) {
    if (maxCharacters > 0 && text.length() > maxCharacters) {
      return true;
    }
    // A token is at least one character: text no longer than the limit cannot exceed it.
    return maxTokens > 0 && text.length() > maxTokens && tokens.count(text) > maxTokens;
  }
}
