package dev.portcullis.gateway.guardrail;

import dev.portcullis.gateway.guardrail.ContentCheck.Span;
import java.util.List;

/**
 * Finds one kind of personal data or secret for the {@code pii} check. Finders are hand-written
 * scanners rather than regular expressions: each looks for a cheap trigger (an {@code @}, a digit
 * at a word start, a known key prefix) and validates the few candidates properly (Luhn, IBAN
 * checksum, libphonenumber), so ordinary prose costs one pass per finder.
 */
interface PiiFinder {
  /** Adds every occurrence in {@code text} to {@code found}. */
  void find(CharSequence text, List<Span> found);

  /**
   * For streams: the first index from which the trailing characters could still be the beginning of
   * an occurrence (see {@link ContentCheck#holdFrom}).
   */
  int holdFrom(CharSequence text);

  static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * Where the trailing run of characters {@code inRun} accepts starts, looking back at most cap.
   */
  static int trailingRunStart(CharSequence text, java.util.function.IntPredicate inRun, int cap) {
    int i = text.length();
    int limit = Math.max(0, text.length() - cap);
    while (i > limit && inRun.test(text.charAt(i - 1))) {
      i--;
    }
    return i;
  }
}
