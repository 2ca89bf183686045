package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code denyList} check: any of many words or phrases, found in one pass by a {@link
 * WordAutomaton}. Options as in the CRD: {@code caseSensitive} (absent: false) and {@code
 * wholeWords} (absent: true; a word must not continue a longer word, judged by letters, digits and
 * underscore on either side of the occurrence).
 */
final class CompiledDenyListCheck implements SpanCheck {
  private final WordAutomaton words;
  private final boolean wholeWords;

  private CompiledDenyListCheck(WordAutomaton words, boolean wholeWords) {
    this.words = words;
    this.wholeWords = wholeWords;
  }

  static CompiledDenyListCheck compile(
      JsonNode settings, CheckTypeRegistry.CompileContext context) {
    List<String> list = new ArrayList<>();
    for (JsonNode w : settings.path("words")) {
      if (!w.asText("").isEmpty()) {
        list.add(w.asText());
      }
    }
    if (list.isEmpty()) {
      throw new GuardrailCompileException("denyList.words: list at least one word");
    }
    return new CompiledDenyListCheck(
        new WordAutomaton(list, settings.path("caseSensitive").asBoolean(false)),
        settings.path("wholeWords").asBoolean(true));
  }

  @Override
  public void findSpans(CharSequence text, List<Span> found) {
    words.search(
        text,
        (start, end) -> {
          if (!wholeWords || isWholeWord(text, start, end)) {
            found.add(new Span(start, end, "REDACTED"));
          }
        });
  }

  @Override
  public int holdFrom(CharSequence text) {
    // A word that ends exactly at the end is held too: the next character decides whether it is
    // a whole word.
    return text.length() - words.liveSuffix(text);
  }

  private static boolean isWholeWord(CharSequence text, int start, int end) {
    boolean startsWord = isWordChar(text.charAt(start));
    boolean endsWord = isWordChar(text.charAt(end - 1));
    return (!startsWord || start == 0 || !isWordChar(text.charAt(start - 1)))
        && (!endsWord || end == text.length() || !isWordChar(text.charAt(end)));
  }

  static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
