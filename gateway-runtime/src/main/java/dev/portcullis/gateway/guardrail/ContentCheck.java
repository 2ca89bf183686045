package dev.portcullis.gateway.guardrail;

import java.util.List;

/**
 * One compiled check of one type ({@code regex}, {@code pii}, ...), built once per snapshot by its
 * {@link CheckTypeRegistry} entry and shared by every request: implementations are immutable and
 * thread-safe.
 *
 * <p>A check reads text in one of two ways. A {@link Reading#SPANS} check finds stretches of text
 * (a word, an e-mail address): those can be redacted, and on a stream they are found as the text
 * flows, holding back only what {@link #holdFrom} asks for. A {@link Reading#WHOLE_TEXT} check can
 * only judge complete text (a length, a JSON document, a webhook's opinion): on a stream it runs at
 * the end.
 */
public interface ContentCheck {

  /** How a check reads text. */
  enum Reading {
    /** Finds stretches of text; see {@link #findSpans} and {@link #holdFrom}. */
    SPANS,
    /** Judges complete text; see {@link #fires}. */
    WHOLE_TEXT
  }

  Reading reading();

  /**
   * Adds every stretch of {@code text} this check matches to {@code found}, in any order and
   * possibly overlapping. Only for {@link Reading#SPANS}.
   */
  default void findSpans(CharSequence text, List<Span> found) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " judges whole text");
  }

  /**
   * For streams: the first index of {@code text} (text seen so far, not yet released) from which a
   * match could still be forming, so more text might change what matches there. Everything before
   * it can be released once the matches in it are handled. Only for {@link Reading#SPANS}.
   */
  default int holdFrom(CharSequence text) {
    return text.length();
  }

  /**
   * Whether the check fires on the complete {@code text} (for a webhook, a failure already turned
   * into its failure mode's answer). Only for {@link Reading#WHOLE_TEXT}.
   */
  default boolean fires(String text, CheckContext context) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " finds spans");
  }

  /**
   * A stretch of text a check matched.
   *
   * @param label the placeholder type that replaces it on redaction, e.g. {@code EMAIL} or {@code
   *     REDACTED}
   */
  record Span(int start, int end, String label) {}
}
