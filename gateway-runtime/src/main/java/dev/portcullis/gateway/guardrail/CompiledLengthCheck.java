package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code length} check: fires when the text has more characters than {@code maxCharacters} or
 * more tokens than {@code maxTokens}, counted with the gateway's tokenizer (o200k). Characters are
 * counted first: when they already exceed the limit, no tokenizing is needed. On input the token
 * count is the prompt's as the gateway counts it for limits and budgets (given in {@link
 * CheckContext#tokens()}: counted once per request, by whichever of this check and admission asks
 * first); on output it counts the judged text, and only when its UTF-8 length exceeds the limit.
 * Only "over the limit or not" matters, so a cheap lower bound over the limit (the o200k
 * pre-tokenizer's pieces, each at least one token) settles it without the count.
 */
final class CompiledLengthCheck implements WholeTextCheck {
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
  public boolean fires(String text, CheckContext context) {
    if (maxCharacters > 0 && text.length() > maxCharacters) {
      return true;
    }
    if (maxTokens <= 0) {
      return false;
    }
    TokenCount prompt = context.tokens();
    if (prompt != null) {
      // Counted once per request and shared with admission; not at all when a bound settles it.
      return prompt.atMost() > maxTokens
          && (prompt.atLeast() > maxTokens || prompt.count() > maxTokens);
    }
    // A token is at least one UTF-8 byte: text of no more bytes than the limit cannot exceed it.
    return utf8Length(text) > maxTokens
        && (tokens.atLeast(text) > maxTokens || tokens.count(text) > maxTokens);
  }

  private static long utf8Length(String text) {
    long bytes = text.length();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2; // a surrogate pair: 4 bytes
      }
    }
    return bytes;
  }
}
