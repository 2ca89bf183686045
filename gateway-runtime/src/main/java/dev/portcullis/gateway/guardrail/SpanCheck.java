package dev.portcullis.gateway.guardrail;

import java.util.List;

/**
 * A check that finds stretches of text: redactable, and run incrementally on streams, holding back
 * only what {@link #holdFrom} asks for.
 */
public non-sealed interface SpanCheck extends ContentCheck {

  /**
   * Adds every stretch of {@code text} this check matches to {@code found}, in any order and
   * possibly overlapping.
   */
  void findSpans(CharSequence text, List<Span> found);

  /**
   * As {@link #findSpans(CharSequence, List)}, for the matches that start at or after {@code from}:
   * the text before it is context only (a word boundary looks at it). A check whose matches follow
   * one another (a regex: leftmost-first, never overlapping) starts its search there, so a match
   * beginning in the context cannot hide the one after it.
   */
  default void findSpans(CharSequence text, int from, List<Span> found) {
    findSpans(text, found);
  }

  /**
   * For streams: the first index of {@code text} (text seen so far, not yet released) from which a
   * match could still be forming, so more text might change what matches there. Everything before
   * it can be released once the matches in it are handled.
   */
  int holdFrom(CharSequence text);
}
