package dev.portcullis.gateway.endpoint;

/**
 * The o200k_base pre-tokenizer's split, written out by hand: the pieces jtokkit's regex (below)
 * finds in a text, at a fraction of {@code java.util.regex}'s cost. The BPE encodes each piece on
 * its own into at least one token, so the number of pieces is a lower bound of the token count.
 *
 * <pre>
 * [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+     (UNICODE_CHARACTER_CLASS)
 * </pre>
 *
 * Each alternative is followed as the regex engine does: leftmost alternative first, greedy
 * quantifiers giving back one code point at a time. {@code O200kPiecesTest} compares every piece
 * with the library's own pattern over random text of many scripts, marks, digits, whitespace,
 * contractions, surrogates and emoji.
 */
final class O200kPieces {
  private static final int UPPER = 1; // Lu Lt Lm Lo M
  private static final int LOWER = 2; // Ll Lm Lo M
  private static final int LETTER = 4; // L
  private static final int NUMBER = 8; // N
  private static final int SPACE = 16; // \s: White_Space
  private static final String[] CONTRACTIONS = {"s", "t", "re", "ve", "m", "ll", "d"};

  private O200kPieces() {}

  /** The number of pieces of {@code text}. */
  static int count(String text) {
    int pieces = 0;
    for (int i = 0; i < text.length(); i = end(text, i)) {
      pieces++;
    }
    return pieces;
  }

  /** Where the piece that starts at {@code i} ends. */
  static int end(String s, int i) {
    int c = s.codePointAt(i);
    int k = kind(c);
    int next = i + Character.charCount(c);
    boolean prefix = c != '\r' && c != '\n' && (k & (LETTER | NUMBER)) == 0;
    int e;
    if ((prefix && (e = letters(s, next, true)) >= 0) || (e = letters(s, i, true)) >= 0) {
      return e;
    }
    if ((prefix && (e = letters(s, next, false)) >= 0) || (e = letters(s, i, false)) >= 0) {
      return e;
    }
    if ((k & NUMBER) != 0) {
      e = next;
      for (int n = 1; n < 3 && e < s.length() && (kind(s.codePointAt(e)) & NUMBER) != 0; n++) {
        e += Character.charCount(s.codePointAt(e));
      }
      return e;
    }
    if (c == ' ' && next < s.length() && symbol(s.codePointAt(next))) {
      return symbols(s, next);
    }
    if (symbol(c)) {
      return symbols(s, i);
    }
    // c is white space (every other code point is a letter, a number or a symbol): whitespace is
    // all in the BMP, one char per code point.
    int run = i;
    int lastBreak = -1;
    while (run < s.length() && (kind(s.charAt(run)) & SPACE) != 0) {
      if (s.charAt(run) == '\r' || s.charAt(run) == '\n') {
        lastBreak = run;
      }
      run++;
    }
    if (lastBreak >= 0) {
      return lastBreak + 1; // \s*[\r\n]+
    }
    if (run == s.length() || run - i < 2) {
      return run; // \s+(?!\S) to the end, or \s+ of one character
    }
    return run - 1; // \s+(?!\S): leaves the last one to the next piece
  }

  /**
   * {@code [UPPER]*[LOWER]+} ({@code lowerRequired}) or {@code [UPPER]+[LOWER]*} from {@code j},
   * then an optional contraction; -1 when it does not match there.
   */
  private static int letters(String s, int j, boolean lowerRequired) {
    int k = j;
    int lastLower = -1;
    while (k < s.length()) {
      int kind = kind(s.codePointAt(k));
      if ((kind & UPPER) == 0) {
        break;
      }
      if ((kind & LOWER) != 0) {
        lastLower = k;
      }
      k += Character.charCount(s.codePointAt(k));
    }
    if (!lowerRequired && k == j) {
      return -1;
    }
    int m = k;
    while (m < s.length() && (kind(s.codePointAt(m)) & LOWER) != 0) {
      m += Character.charCount(s.codePointAt(m));
    }
    if (lowerRequired && m == k) {
      if (lastLower < 0) {
        return -1;
      }
      // [UPPER]* gives back up to the last code point that [LOWER]+ can take; the one after it is
      // not LOWER (else it would be the last).
      m = lastLower + Character.charCount(s.codePointAt(lastLower));
    }
    return contraction(s, m);
  }

  /** {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)?} at {@code m}, with Unicode case folding. */
  private static int contraction(String s, int m) {
    if (m >= s.length() || s.charAt(m) != '\'') {
      return m;
    }
    for (String c : CONTRACTIONS) {
      if (m + c.length() < s.length() && folds(s, m + 1, c)) {
        return m + 1 + c.length();
      }
    }
    return m;
  }

  private static boolean folds(String s, int at, String lower) {
    for (int i = 0; i < lower.length(); i++) {
      char c = s.charAt(at + i);
      if (c != lower.charAt(i)
          && Character.toLowerCase(Character.toUpperCase(c)) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** {@code [^\s\p{L}\p{N}]+[\r\n/]*} from {@code j}, which is such a symbol. */
  private static int symbols(String s, int j) {
    int e = j;
    while (e < s.length() && symbol(s.codePointAt(e))) {
      e += Character.charCount(s.codePointAt(e));
    }
    while (e < s.length() && (s.charAt(e) == '\r' || s.charAt(e) == '\n' || s.charAt(e) == '/')) {
      e++;
    }
    return e;
  }

  private static boolean symbol(int c) {
    return (kind(c) & (SPACE | LETTER | NUMBER)) == 0;
  }

  private static int kind(int c) {
    return switch (Character.getType(c)) {
      case Character.UPPERCASE_LETTER, Character.TITLECASE_LETTER -> UPPER | LETTER;
      case Character.LOWERCASE_LETTER -> LOWER | LETTER;
      case Character.MODIFIER_LETTER, Character.OTHER_LETTER -> UPPER | LOWER | LETTER;
      case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK ->
          UPPER | LOWER;
      case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER ->
          NUMBER;
      case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR ->
          SPACE;
      default -> (c >= 0x9 && c <= 0xd) || c == 0x85 ? SPACE : 0;
    };
  }
}
