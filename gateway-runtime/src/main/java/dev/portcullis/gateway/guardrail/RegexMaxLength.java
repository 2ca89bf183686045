package dev.portcullis.gateway.guardrail;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.OptionalInt;

/**
 * The most UTF-16 characters a match of an RE2 pattern can span, when that is bounded: read from
 * the syntax tree RE2/J itself parses the pattern into, so what counts as bounded is exactly what
 * RE2 will run. A match is unbounded through {@code *}, {@code +} or {@code {n,}} over anything
 * that is not zero-width; a literal counts its characters (two for a non-ASCII one under {@code
 * (?i)}, which may fold onto a supplementary character), {@code .} and a class reaching past U+FFFF
 * two (a surrogate pair), other classes one, assertions ({@code ^ $ \b}) none.
 *
 * <p>RE2/J keeps its parser and syntax tree ({@code com.google.re2j.Parser}, {@code Regexp})
 * package-private, so they are read by reflection, once per compiled pattern. Should a release of
 * RE2/J change them, every pattern reads as unbounded (the stream falls back to its fixed window,
 * never to a wrong bound) and {@code RegexCheckTest} fails.
 */
final class RegexMaxLength {
  /** RE2/J's flags for {@code Pattern.compile(source)}: {@code RE2.PERL}. */
  private static final int PERL_FLAGS = 212;

  private static final int FOLD_CASE = 1;

  private static final Tree TREE = Tree.load();

  private RegexMaxLength() {}

  /**
   * The most characters a match of {@code source} spans, or empty when unbounded, larger than
   * {@code cap}, or not readable.
   */
  static OptionalInt of(String source, int cap) {
    if (TREE == null) {
      return OptionalInt.empty();
    }
    try {
      long max = TREE.maxChars(TREE.parse(source), cap);
      return max < 0 ? OptionalInt.empty() : OptionalInt.of((int) max);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  /** Reflective access to RE2/J's parse tree. */
  private record Tree(
      Method parse, Field op, Field flags, Field subs, Field runes, Field min, Field max) {
    static Tree load() {
      try {
        Class<?> parser = Class.forName("com.google.re2j.Parser");
        Class<?> regexp = Class.forName("com.google.re2j.Regexp");
        Method parse = parser.getDeclaredMethod("parse", String.class, int.class);
        parse.setAccessible(true);
        Field[] fields = new Field[6];
        String[] names = {"op", "flags", "subs", "runes", "min", "max"};
        for (int i = 0; i < names.length; i++) {
          fields[i] = regexp.getDeclaredField(names[i]);
          fields[i].setAccessible(true);
        }
        return new Tree(parse, fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    Object parse(String source) throws ReflectiveOperationException {
      return parse.invoke(null, source, PERL_FLAGS);
    }

    /** Most characters {@code re} spans; -1 when unbounded or above {@code cap}. */
    long maxChars(Object re, int cap) throws ReflectiveOperationException {
      long n =
          switch (((Enum<?>) op.get(re)).name()) {
            case "NO_MATCH",
                "EMPTY_MATCH",
                "BEGIN_LINE",
                "END_LINE",
                "BEGIN_TEXT",
                "END_TEXT",
                "WORD_BOUNDARY",
                "NO_WORD_BOUNDARY" ->
                0;
            case "LITERAL" -> literal((int[]) runes.get(re), (flags.getInt(re) & FOLD_CASE) != 0);
            case "CHAR_CLASS" -> charClass((int[]) runes.get(re));
            case "ANY_CHAR", "ANY_CHAR_NOT_NL" -> 2;
            case "CAPTURE", "QUEST" -> maxChars(sub(re, 0), cap);
            case "STAR", "PLUS" -> repeat(maxChars(sub(re, 0), cap), -1);
            case "REPEAT" -> repeat(maxChars(sub(re, 0), cap), max.getInt(re));
            case "CONCAT" -> ofAll(re, cap, true);
            case "ALTERNATE" -> ofAll(re, cap, false);
            default -> -1; // an operator this reading does not know: no bound
          };
      return n > cap ? -1 : n;
    }

    /** The sum ({@code concat}) or the largest of the subexpressions' bounds; -1 if any is. */
    private long ofAll(Object re, int cap, boolean concat) throws ReflectiveOperationException {
      long n = 0;
      for (Object s : (Object[]) subs.get(re)) {
        long m = maxChars(s, cap);
        if (m < 0) {
          return -1;
        }
        n = concat ? n + m : Math.max(n, m);
      }
      return n;
    }

    private Object sub(Object re, int i) throws ReflectiveOperationException {
      return ((Object[]) subs.get(re))[i];
    }

    /** {@code times} repeats of something spanning at most {@code each} (-1: unbounded). */
    private static long repeat(long each, int times) {
      if (each < 0) {
        return -1;
      }
      if (times < 0) {
        return each == 0 ? 0 : -1;
      }
      return each * times;
    }

    private static long literal(int[] runes, boolean foldCase) {
      long n = 0;
      for (int r : runes) {
        n += foldCase && r >= 0x80 ? 2 : Character.charCount(r);
      }
      return n;
    }

    /** One character; two when the class reaches past the BMP. Ranges are pairs lo, hi. */
    private static long charClass(int[] ranges) {
      if (ranges.length == 0) {
        return 0;
      }
      for (int i = 1; i < ranges.length; i += 2) {
        if (ranges[i] > 0xFFFF) {
          return 2;
        }
      }
      return 1;
    }
  }
}
