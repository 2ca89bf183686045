package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;

/**
 * The {@code regex} check: RE2 syntax and semantics (RE2/J), so matching time is linear in the text
 * whatever the pattern; a user's pattern cannot hang the gateway. Without {@code mustMatch} it is a
 * {@link SpanCheck} firing on every match; with {@code mustMatch} a {@link WholeTextCheck} ({@link
 * MustMatch}) firing when the text matches nowhere.
 *
 * <p>RE2/J has no DFA: a pattern without a literal prefix runs its NFA over every character (about
 * 50 µs per KB). So the text is first searched for a literal every match must contain ({@link
 * RegexPrefilter}); text without it is never given to RE2, and around each occurrence RE2 runs only
 * on the stretch a match containing it can occupy. Matches are the same as RE2's over the whole
 * text (leftmost-first, non-overlapping), which {@code RegexCheckTest} compares on random text.
 *
 * <p>On streams a regex whose prefilter bounds a match on both sides ({@link
 * RegexPrefilter#holdFrom}) holds only what a match could still grow from: the trailing run of
 * characters its prefix admits, a tail that begins its literal, an occurrence whose bounded suffix
 * is not complete yet (for the example's host-name pattern, about one word). A pattern whose
 * matches span at most {@code n} characters ({@link RegexMaxLength}: no {@code * + {n,}}) holds at
 * most the last {@code n}: a match starting before them is complete. Any other pattern holds back a
 * fixed {@link #STREAM_WINDOW} characters: it gives no cheaper bound on where a match could still
 * start. A match that is still growing keeps holding text from its start, so long matches are not
 * cut; only a match of such a pattern that first becomes possible more than {@link #STREAM_WINDOW}
 * characters after its start (its tail arrives later than that) can be missed on a stream.
 */
final class CompiledRegexCheck implements SpanCheck {
  /** Characters a streamed regex check holds back when neither bound applies. */
  static final int STREAM_WINDOW = 128;

  private final Search search;

  /** The most characters a match spans, when that is at most {@link #STREAM_WINDOW}; else -1. */
  private final int maxLength;

  private CompiledRegexCheck(Search search, int maxLength) {
    this.search = search;
    this.maxLength = maxLength;
  }

  static ContentCheck compile(JsonNode settings, CheckTypeRegistry.CompileContext context) {
    String source = settings.path("pattern").asText("");
    if (source.isEmpty()) {
      throw new GuardrailCompileException("regex.pattern: set a pattern");
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(source);
    } catch (PatternSyntaxException e) {
      throw new GuardrailCompileException(
          "regex.pattern: not valid RE2 syntax (no back-references or look-around): "
              + e.getDescription(),
          e);
    }
    Search search = new Search(pattern, RegexPrefilter.of(source));
    return settings.path("mustMatch").asBoolean(false)
        ? new MustMatch(search)
        : new CompiledRegexCheck(search, RegexMaxLength.of(source, STREAM_WINDOW).orElse(-1));
  }

  @Override
  public void findSpans(CharSequence text, List<Span> found) {
    search.run(text, 0, false, found);
  }

  /**
   * On a stream the text begins with a few released characters kept as context: RE2 starts at
   * {@code from} (and sees the context only for {@code \b}), as the search over the whole answer
   * continues after the previous match rather than from inside it.
   */
  @Override
  public void findSpans(CharSequence text, int from, List<Span> found) {
    search.run(text, from, false, found);
  }

  @Override
  public int holdFrom(CharSequence text) {
    int hold = search.prefilter().holdFrom(text);
    if (maxLength >= 0) {
      // Both bounds are sound: a forming match starts at or after each, so after the later one.
      hold = Math.max(hold, Math.max(0, text.length() - maxLength));
    }
    return hold >= 0 ? hold : Math.max(0, text.length() - STREAM_WINDOW);
  }

  /** The whole text must match the pattern somewhere; fires when it does not. */
  static final class MustMatch implements WholeTextCheck {
    private final Search search;

    private MustMatch(Search search) {
      this.search = search;
    }

    @Override
    public boolean fires(String text, CheckContext context) {
      return !search.run(text, 0, true, null);
    }
  }

  /** RE2 over a text, skipping what the prefilter rules out. */
  record Search(Pattern pattern, RegexPrefilter prefilter) {

    /**
     * Adds every match starting at or after {@code start} (leftmost-first, non-overlapping, as
     * {@link Matcher#find(int)} from {@code start} would) to {@code found}; with {@code firstOnly}
     * stops at the first. Returns whether there was a match.
     */
    boolean run(CharSequence text, int start, boolean firstOnly, List<Span> found) {
      if (!prefilter.usable()) {
        return plain(pattern.matcher(text), start, text.length(), firstOnly, found);
      }
      int length = text.length();
      int literal = prefilter.literal.length();
      boolean windowed = prefilter.maxSuffix >= 0 && prefilter.occurrenceOwnsMatch;
      Matcher whole = null;
      Matcher cut = null;
      boolean any = false;
      int pos = start; // matches found so far end here: the next starts at or after it
      int q = start; // the next occurrence of the literal to consider starts at or after it
      while (true) {
        int p = prefilter.indexOf(text, q);
        if (p < 0) {
          return any;
        }
        int from = prefilter.windowStart(text, p, pos);
        int bound = p + literal + prefilter.maxSuffix;
        if (windowed && bound + 1 < length) {
          // Every match starting at or before p has its literal at p and ends by bound.
          CharSequence window = new Prefix(text, bound + 1);
          cut = cut == null ? pattern.matcher(window) : cut.reset(window);
          if (cut.find(from) && cut.start() <= p) {
            any = true;
            if (firstOnly) {
              return true;
            }
            found.add(new Span(cut.start(), cut.end(), "REDACTED"));
            pos = cut.end();
            q = pos;
          } else {
            q = p + 1; // no match uses this occurrence
          }
          continue;
        }
        // No bound on the right: RE2 from here on, as from pos (no match starts in [pos, from)).
        whole = whole == null ? pattern.matcher(text) : whole;
        return plain(whole, from, length, firstOnly, found) || any;
      }
    }

    private static boolean plain(
        Matcher m, int from, int length, boolean firstOnly, List<Span> found) {
      boolean any = false;
      while (from <= length && m.find(from)) {
        if (m.end() > m.start()) {
          any = true;
          if (firstOnly) {
            return true;
          }
          found.add(new Span(m.start(), m.end(), "REDACTED"));
          from = m.end();
        } else {
          from = m.end() + 1; // an empty match masks nothing; step past it
        }
      }
      return any;
    }
  }

  /** The first {@code length} characters of a text, without copying them. */
  private record Prefix(CharSequence text, int length) implements CharSequence {
    @Override
    public char charAt(int index) {
      if (index >= length) {
        throw new IndexOutOfBoundsException(index);
      }
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      if (end > length) {
        throw new IndexOutOfBoundsException(end);
      }
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text.subSequence(0, length).toString();
    }
  }
}
