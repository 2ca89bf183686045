package dev.portcullis.gateway.guardrail;

/**
 * One compiled check of one type ({@code regex}, {@code pii}, ...), built once per snapshot by its
 * {@link CheckTypeRegistry} entry and shared by every request: implementations are immutable and
 * thread-safe.
 *
 * <p>A check reads text in one of two ways, and is exactly one of two kinds: a {@link SpanCheck}
 * finds stretches of text (a word, an e-mail address) — those can be redacted, and on a stream they
 * are found as the text flows; a {@link WholeTextCheck} can only judge complete text (a length, a
 * JSON document, a webhook's opinion) — on a stream it runs at the end. The engine sorts a policy's
 * checks by kind once, so each kind is only ever asked what it can answer. A type may compile to
 * either kind depending on its settings ({@code regex} with {@code mustMatch} is whole-text).
 */
public sealed interface ContentCheck permits SpanCheck, WholeTextCheck {

  /**
   * A stretch of text a check matched.
   *
   * @param label the placeholder type that replaces it on redaction, e.g. {@code EMAIL} or {@code
   *     REDACTED}
   */
  record Span(int start, int end, String label) {}
}
