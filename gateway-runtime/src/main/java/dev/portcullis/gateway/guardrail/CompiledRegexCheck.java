package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;

/**
 * The {@code regex} check: RE2 syntax and semantics (RE2/J), so matching time is linear in the text
 * whatever the pattern; a user's pattern cannot hang the gateway. Fires on every match, or with
 * {@code mustMatch} when the text does not match anywhere (then it judges whole text).
 *
 * <p>On streams a regex holds back a fixed {@link #STREAM_WINDOW} characters: an arbitrary pattern
 * gives no cheaper bound on where a match could still start. A match that is still growing keeps
 * holding text from its start, so long matches are not cut; only a match that first becomes
 * possible more than {@link #STREAM_WINDOW} characters after its start (its tail arrives later than
 * that) can be missed on a stream.
 */
final class CompiledRegexCheck implements ContentCheck {
  /** Characters a streamed regex check holds back. */
  static final int STREAM_WINDOW = 128;

  private final Pattern pattern;
  private final boolean mustMatch;

  private CompiledRegexCheck(Pattern pattern, boolean mustMatch) {
    this.pattern = pattern;
    this.mustMatch = mustMatch;
  }

  static CompiledRegexCheck compile(JsonNode settings, CheckTypeRegistry.CompileContext context) {
    String source = settings.path("pattern").asText("");
    if (source.isEmpty()) {
      throw new GuardrailCompileException("regex.pattern: set a pattern");
    }
    try {
      return new CompiledRegexCheck(
          Pattern.compile(source), settings.path("mustMatch").asBoolean(false));
    } catch (PatternSyntaxException e) {
      throw new GuardrailCompileException(
          "regex.pattern: not valid RE2 syntax (no back-references or look-around): "
              + e.getDescription(),
          e);
    }
  }

  @Override
  public Reading reading() {
    return mustMatch ? Reading.WHOLE_TEXT : Reading.SPANS;
  }

  @Override
  public void findSpans(CharSequence text, List<Span> found) {
    Matcher m = pattern.matcher(text);
    int from = 0;
    while (from <= text.length() && m.find(from)) {
      if (m.end() > m.start()) {
        found.add(new Span(m.start(), m.end(), "REDACTED"));
        from = m.end();
      } else {
        from = m.end() + 1; // an empty match masks nothing; step past it
      }
    }
  }

  @Override
  public int holdFrom(CharSequence text) {
    return Math.max(0, text.length() - STREAM_WINDOW);
  }

  @Override
  public boolean fires(String text, CheckContext context) {
    return !pattern.matcher(text).find();
  }
}
