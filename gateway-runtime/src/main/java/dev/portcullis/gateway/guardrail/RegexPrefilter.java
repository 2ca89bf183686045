package dev.portcullis.gateway.guardrail;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What a regex check can skip before running RE2: a literal every match must contain, found with a
 * plain string search, and around each occurrence the only stretch of text a match containing it
 * can occupy. Derived once per pattern from its RE2 source by a deliberately small, conservative
 * reading of the pattern's top level; anything it does not understand makes it answer "no
 * prefilter" or "no bound", never a wrong one.
 *
 * <p>The pattern is read as a concatenation {@code P L S} of top-level atoms, where {@code L} is
 * the longest run of literal characters that occur exactly once (so every match contains {@code L}
 * at the position where {@code P} ends). A pattern with a top-level {@code |}, or without such a
 * run, or with {@code \Q}, gets no prefilter. Then, for an occurrence of {@code L} at {@code p}:
 *
 * <ul>
 *   <li><b>left</b>: every atom of {@code P} matches only characters of a known set (a literal, a
 *       class, {@code \d \w \s}; groups, {@code .}, negated classes and {@code \p} count as any
 *       character). A match whose {@code L} is at {@code p} starts after the last character before
 *       {@code p} outside that set.
 *   <li><b>right</b>: when every atom of {@code S} has a bounded width (no {@code * + {n,}}, no
 *       group) and the pattern has no end anchor ({@code $}, {@code \z}), such a match ends at most
 *       {@code p + |L| + maxWidth(S)}: RE2 can run on the text cut just after that bound (one more
 *       character kept for {@code \b}).
 *   <li>when the first character of {@code L} is outside {@code P}'s set, no match starting at or
 *       before {@code p} can have its {@code L} later (its {@code P} would have to cover {@code
 *       p}).
 * </ul>
 *
 * <p>Case-insensitive patterns ({@code (?i)} anywhere at the top level) keep a literal only of
 * ASCII characters and compare it with {@link String#regionMatches(boolean, int, String, int, int)}
 * ignoring case, which also equates the two non-ASCII characters RE2 folds onto ASCII letters
 * (U+212A KELVIN SIGN with k, U+017F LONG S with s); their sets admit every non-ASCII character.
 */
final class RegexPrefilter {
  /** A top-level atom: a set of characters it can match, how often, or a zero-width assertion. */
  private record Atom(
      BitSet ascii, boolean anyNonAscii, char literal, int min, int max, boolean group) {
    static final int UNBOUNDED = -1;

    boolean zeroWidth() {
      return ascii == null && !anyNonAscii && literal == 0 && max == 0;
    }

    /** Matches any character (a group, {@code .}, a negated class): no known set. */
    boolean anyCharacter() {
      return ascii == null && literal == 0 && !zeroWidth();
    }

    boolean exactLiteral() {
      return literal != 0 && min == 1 && max == 1;
    }
  }

  /** The literal every match contains, or null when there is no usable one. */
  final String literal;

  final boolean ignoreCase;

  /** ASCII characters {@code P} can match; {@code prefixNonAscii}: any non-ASCII too. */
  private final BitSet prefixAscii;

  private final boolean prefixNonAscii;
  private final boolean prefixAny;

  /** Most characters a match runs past the end of {@code L}, or -1 when unbounded or anchored. */
  final int maxSuffix;

  /** Whether a match starting at or before an occurrence must use that occurrence. */
  final boolean occurrenceOwnsMatch;

  private RegexPrefilter(
      String literal,
      boolean ignoreCase,
      BitSet prefixAscii,
      boolean prefixNonAscii,
      boolean prefixAny,
      int maxSuffix,
      boolean occurrenceOwnsMatch) {
    this.literal = literal;
    this.ignoreCase = ignoreCase;
    this.prefixAscii = prefixAscii;
    this.prefixNonAscii = prefixNonAscii;
    this.prefixAny = prefixAny;
    this.maxSuffix = maxSuffix;
    this.occurrenceOwnsMatch = occurrenceOwnsMatch;
  }

  static final RegexPrefilter NONE = new RegexPrefilter(null, false, null, true, true, -1, false);

  /** Reads {@code pattern} (already accepted by RE2); {@link #NONE} when it gives no literal. */
  static RegexPrefilter of(String pattern) {
    try {
      return read(pattern);
    } catch (RuntimeException e) {
      return NONE; // a reading this class did not foresee: no prefilter, never a wrong one
    }
  }

  boolean usable() {
    return literal != null;
  }

  /** The first occurrence of the literal at or after {@code from}, or -1. */
  int indexOf(CharSequence text, int from) {
    if (!ignoreCase) {
      return text instanceof String s
          ? s.indexOf(literal, from)
          : text.toString().indexOf(literal, from);
    }
    String s = text instanceof String str ? str : text.toString();
    int last = s.length() - literal.length();
    char first = literal.charAt(0);
    boolean letter = isAsciiLetter(first);
    for (int i = Math.max(0, from); i <= last; i++) {
      char c = s.charAt(i);
      if (c < 128 && (letter ? (c | 0x20) != (first | 0x20) : c != first)) {
        continue;
      }
      if (s.regionMatches(true, i, literal, 0, literal.length())) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Where a match whose literal is at {@code p} can start at the earliest (not before {@code
   * floor}).
   */
  int windowStart(CharSequence text, int p, int floor) {
    if (prefixAny) {
      return floor;
    }
    int ws = p;
    while (ws > floor && inPrefixSet(text.charAt(ws - 1))) {
      ws--;
    }
    return ws;
  }

  /**
   * For streams: the first index of {@code text} from which a match could still form or grow as
   * more text arrives, or -1 when this prefilter gives no bound (no literal, a prefix of any
   * character, an unbounded or anchored suffix). A match either has its literal at an occurrence
   * already seen whose suffix (plus one character of context for {@code \b}) may still be
   * incomplete, or at a position not complete yet: the longest tail that begins the literal, else
   * the end. Either way it starts at that position's {@link #windowStart}.
   */
  int holdFrom(CharSequence text) {
    if (literal == null || prefixAny || maxSuffix < 0 || !occurrenceOwnsMatch) {
      return -1;
    }
    int length = text.length();
    int hold = windowStart(text, length - partialLiteralAtEnd(text), 0);
    int from = Math.max(0, length - literal.length() - maxSuffix - 1);
    for (int p = indexOf(text, from); p >= 0; p = indexOf(text, p + 1)) {
      if (p + literal.length() + maxSuffix + 1 > length) {
        hold = Math.min(hold, windowStart(text, p, 0));
        break; // later occurrences start later and their windows no earlier
      }
    }
    return hold;
  }

  /** The length of the longest tail of {@code text} that is a proper prefix of the literal. */
  private int partialLiteralAtEnd(CharSequence text) {
    int length = text.length();
    for (int k = Math.min(literal.length() - 1, length); k > 0; k--) {
      if (regionMatches(text, length - k, k)) {
        return k;
      }
    }
    return 0;
  }

  private boolean regionMatches(CharSequence text, int at, int count) {
    for (int i = 0; i < count; i++) {
      char a = text.charAt(at + i);
      char b = literal.charAt(i);
      if (a != b
          && !(ignoreCase && String.valueOf(a).regionMatches(true, 0, String.valueOf(b), 0, 1))) {
        return false;
      }
    }
    return true;
  }

  private boolean inPrefixSet(char c) {
    if (c >= 128) {
      return prefixNonAscii;
    }
    return prefixAscii.get(c);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  // ---- reading the pattern

  private static RegexPrefilter read(String p) {
    List<Atom> atoms = new ArrayList<>();
    boolean ignoreCase = false;
    boolean endAnchor = false;
    int i = 0;
    int n = p.length();
    while (i < n) {
      char c = p.charAt(i);
      Atom atom;
      switch (c) {
        case '|' -> {
          return NONE;
        }
        case '(' -> {
          int close = groupEnd(p, i);
          String inner = p.substring(i + 1, close);
          if (inner.startsWith("?") && inner.matches("\\?[a-zA-Z-]*")) {
            // A flag group (?flags): zero width, changes the flags of what follows.
            String on = inner.substring(1).split("-", -1)[0];
            ignoreCase |= on.indexOf('i') >= 0;
            i = close + 1;
            continue;
          }
          if (inner.startsWith("?")) {
            int colon = inner.indexOf(':');
            if (colon > 0 && inner.substring(1, colon).split("-", -1)[0].indexOf('i') >= 0) {
              ignoreCase = true; // (?i:...): conservative for the whole pattern
            }
          }
          endAnchor |= inner.contains("$") || inner.contains("\\z");
          atom = group();
          i = close + 1;
        }
        case '[' -> {
          int close = classEnd(p, i);
          atom = classAtom(p.substring(i + 1, close));
          i = close + 1;
        }
        case '.' -> {
          atom = anyOne();
          i++;
        }
        case '^' -> {
          atom = zero();
          i++;
        }
        case '$' -> {
          endAnchor = true;
          atom = zero();
          i++;
        }
        case '\\' -> {
          if (i + 1 >= n) {
            return NONE;
          }
          char e = p.charAt(i + 1);
          i += 2;
          switch (e) {
            case 'b', 'B', 'A' -> atom = zero();
            case 'z' -> {
              endAnchor = true;
              atom = zero();
            }
            case 'Q' -> {
              return NONE;
            }
            case 'd', 'w', 's' -> atom = set(perlClass(e), false);
            case 'p', 'P' -> {
              if (i < n && p.charAt(i) == '{') {
                i = p.indexOf('}', i) + 1;
              } else {
                i++;
              }
              atom = anyOne();
            }
            default -> {
              if (!Character.isLetterOrDigit(e) && e < 128) {
                atom = lit(e); // an escaped punctuation character stands for itself
              } else {
                atom = anyOne(); // \n, \x41, \D, \W, \S, octal...: not worth reading exactly
                if (e == 'x' && i < n && p.charAt(i) == '{') {
                  i = p.indexOf('}', i) + 1;
                } else if (e == 'x') {
                  i += 2;
                } else if (e >= '0' && e <= '7') {
                  // An octal code: up to two more octal digits belong to it.
                  for (int k = 0; k < 2 && i < n && p.charAt(i) >= '0' && p.charAt(i) <= '7'; k++) {
                    i++;
                  }
                }
              }
            }
          }
        }
        case '*', '+', '?', '{' -> {
          // A quantifier with nothing before it: RE2 rejected that already, or it is a literal '{'.
          if (c != '{' || !atoms.isEmpty()) {
            return NONE;
          }
          atom = lit(c);
          i++;
        }
        default -> {
          atom = c < 128 ? lit(c) : nonAsciiLiteral(c);
          i++;
        }
      }
      // A quantifier after the atom.
      if (i < n) {
        char q = p.charAt(i);
        int min = 1;
        int max = 1;
        boolean quantified = true;
        if (q == '*') {
          min = 0;
          max = Atom.UNBOUNDED;
          i++;
        } else if (q == '+') {
          max = Atom.UNBOUNDED;
          i++;
        } else if (q == '?') {
          min = 0;
          i++;
        } else if (q == '{' && repeatEnd(p, i) > 0) {
          int close = repeatEnd(p, i);
          String[] range = p.substring(i + 1, close).split(",", -1);
          min = Integer.parseInt(range[0]);
          max =
              range.length == 1
                  ? min
                  : range[1].isEmpty() ? Atom.UNBOUNDED : Integer.parseInt(range[1]);
          i = close + 1;
        } else {
          quantified = false;
        }
        if (quantified) {
          if (i < n && p.charAt(i) == '?') {
            i++; // lazy: the same candidate matches, another preference
          }
          atom =
              atom.zeroWidth()
                  ? atom
                  : new Atom(
                      atom.ascii(), atom.anyNonAscii(), atom.literal(), min, max, atom.group());
        }
      }
      atoms.add(atom);
    }
    return fromAtoms(atoms, ignoreCase, endAnchor);
  }

  private static RegexPrefilter fromAtoms(List<Atom> atoms, boolean ignoreCase, boolean endAnchor) {
    int bestStart = -1;
    int bestLength = 0;
    for (int s = 0; s < atoms.size(); ) {
      if (!usableLiteral(atoms.get(s), ignoreCase)) {
        s++;
        continue;
      }
      int e = s;
      while (e < atoms.size() && usableLiteral(atoms.get(e), ignoreCase)) {
        e++;
      }
      if (e - s > bestLength) {
        bestStart = s;
        bestLength = e - s;
      }
      s = e;
    }
    if (bestStart < 0) {
      return NONE;
    }
    StringBuilder literal = new StringBuilder();
    for (int k = bestStart; k < bestStart + bestLength; k++) {
      literal.append(atoms.get(k).literal());
    }
    BitSet ascii = new BitSet(128);
    boolean nonAscii = ignoreCase;
    boolean any = false;
    for (int k = 0; k < bestStart; k++) {
      Atom a = atoms.get(k);
      if (a.zeroWidth()) {
        continue;
      }
      if (a.anyCharacter()) {
        any = true;
        break;
      }
      if (a.literal() != 0) {
        if (a.literal() >= 128) {
          nonAscii = true;
        } else {
          ascii.set(a.literal());
        }
      } else {
        ascii.or(a.ascii());
      }
      nonAscii |= a.anyNonAscii();
    }
    if (ignoreCase) {
      for (char c = 'a'; c <= 'z'; c++) {
        char u = Character.toUpperCase(c);
        if (ascii.get(c) || ascii.get(u)) {
          ascii.set(c);
          ascii.set(u);
        }
      }
    }
    int suffix = 0;
    for (int k = bestStart + bestLength; k < atoms.size() && suffix >= 0; k++) {
      Atom a = atoms.get(k);
      if (a.zeroWidth()) {
        continue;
      }
      if (a.group() || a.max() == Atom.UNBOUNDED) {
        suffix = -1;
      } else {
        suffix += a.max();
      }
    }
    if (endAnchor) {
      suffix = -1;
    }
    char first = literal.charAt(0);
    // With case folded, a letter may also be matched by a non-ASCII character P admits.
    boolean firstOutside =
        !any
            && (first >= 128
                ? !nonAscii
                : !ascii.get(first) && !(ignoreCase && isAsciiLetter(first)));
    return new RegexPrefilter(
        literal.toString(), ignoreCase, ascii, nonAscii, any, suffix, firstOutside);
  }

  private static boolean usableLiteral(Atom a, boolean ignoreCase) {
    return a.exactLiteral() && (a.literal() < 128 || !ignoreCase);
  }

  private static Atom lit(char c) {
    return new Atom(null, false, c, 1, 1, false);
  }

  private static Atom nonAsciiLiteral(char c) {
    // A surrogate half (part of a character outside the BMP) is not a literal of its own here.
    return Character.isSurrogate(c) ? anyOne() : lit(c);
  }

  private static Atom zero() {
    return new Atom(null, false, (char) 0, 0, 0, false);
  }

  /** One character of any kind ({@code .}, a negated class, an escape not read exactly). */
  private static Atom anyOne() {
    return new Atom(null, true, (char) 0, 1, 1, false);
  }

  /** A group: any characters, width unknown. */
  private static Atom group() {
    return new Atom(null, true, (char) 0, 1, Atom.UNBOUNDED, true);
  }

  private static Atom set(BitSet ascii, boolean nonAscii) {
    return new Atom(ascii, nonAscii, (char) 0, 1, 1, false);
  }

  private static BitSet perlClass(char e) {
    BitSet b = new BitSet(128);
    switch (e) {
      case 'd' -> b.set('0', '9' + 1);
      case 'w' -> {
        b.set('0', '9' + 1);
        b.set('a', 'z' + 1);
        b.set('A', 'Z' + 1);
        b.set('_');
      }
      default -> {
        b.set('\t');
        b.set('\n');
        b.set('\f');
        b.set('\r');
        b.set(' ');
      }
    }
    return b;
  }

  /** A bracket class's body (between {@code [} and {@code ]}) as a set; negated ones: any. */
  private static Atom classAtom(String body) {
    if (body.startsWith("^") || body.contains("[:")) {
      return anyOne();
    }
    BitSet b = new BitSet(128);
    boolean nonAscii = false;
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        char e = body.charAt(i + 1);
        if (e == 'd' || e == 'w' || e == 's') {
          b.or(perlClass(e));
          i += 2;
          continue;
        }
        if (Character.isLetterOrDigit(e) || e >= 128) {
          return anyOne();
        }
        c = e;
        i += 2;
      } else {
        i++;
      }
      if (i + 1 < body.length() && body.charAt(i) == '-' && body.charAt(i + 1) != ']') {
        char hi = body.charAt(i + 1);
        if (hi == '\\') {
          return anyOne();
        }
        i += 2;
        if (hi >= 128) {
          nonAscii = true;
        }
        if (c < 128) {
          b.set(c, Math.min(hi, (char) 127) + 1);
        } else {
          nonAscii = true;
        }
      } else if (c >= 128) {
        nonAscii = true;
      } else {
        b.set(c);
      }
    }
    return set(b, nonAscii);
  }

  private static int groupEnd(String p, int open) {
    int depth = 0;
    for (int i = open; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        i = classEnd(p, i);
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced group");
  }

  private static int classEnd(String p, int open) {
    int i = open + 1;
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    if (i < p.length() && p.charAt(i) == ']') {
      i++; // a leading ] is a member
    }
    for (; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[' && i + 1 < p.length() && p.charAt(i + 1) == ':') {
        i = p.indexOf(":]", i + 2) + 1;
      } else if (c == ']') {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced class");
  }

  /**
   * The index of the {@code }} closing a repeat {@code {n}}, {@code {n,}}, {@code {n,m}}; else -1.
   */
  private static int repeatEnd(String p, int open) {
    int close = p.indexOf('}', open);
    if (close < 0) {
      return -1;
    }
    return p.substring(open + 1, close).matches("[0-9]+(,[0-9]*)?") ? close : -1;
  }
}
