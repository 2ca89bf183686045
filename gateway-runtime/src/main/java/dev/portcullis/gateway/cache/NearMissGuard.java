package dev.portcullis.gateway.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cheap lexical check run on a semantic candidate, because sentence embeddings are blind to the
 * words that decide an answer: all-MiniLM-L6-v2 puts "convert a string to an integer" and "convert
 * an integer to a string" at cosine 0.992, "bad for your health" and "good for your health" at
 * 0.950. No threshold below 1 separates those by cosine alone; this guard does, at the price of
 * some paraphrases (a synonym swap such as "wrote" / "author" is a miss).
 *
 * <p>Two questions are compatible only when
 *
 * <ol>
 *   <li>they hold the same numbers (digits, number words, ordinals, Roman numerals): "7 times 8" is
 *       not "7 times 9", "World War I" not "World War II";
 *   <li>they hold the same number of negations ({@code not}, {@code no}, {@code never}, {@code
 *       n't}, …);
 *   <li>no content word was replaced: words may be added on one side ("capital" / "capital city")
 *       but when each side has a content word the other lacks ("France" / "Germany", "soft" /
 *       "hard", "read" / "write") the questions differ. Words match by a shared stem (a common
 *       prefix of five letters, or the whole of a shorter word of four), so "values" matches
 *       "value" and "painter" matches "painted";
 *   <li>the word after {@code to}, {@code into} and {@code from} agrees where both have it: "miles
 *       to kilometers" is not "kilometers to miles".
 * </ol>
 *
 * <p>The function-word and negation lists are English; in another language every word counts as a
 * content word, which makes the guard stricter (fewer hits), never looser.
 */
public final class NearMissGuard {
  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:\\.[0-9]+)?");
  private static final Set<String> FUNCTION_WORDS =
      Set.of(
          ("a an the of in on at to into for from with by about as and or is are was were be been"
                  + " being do does did done i me my you your we our it its this that these those"
                  + " there here what whats which who whom whose how why when where can could would"
                  + " should will shall may might must please tell give explain show describe list"
                  + " let us s t am has have had get make some any")
              .split(" "));
  private static final Set<String> NEGATIONS =
      Set.of("not", "no", "never", "none", "without", "nothing", "nobody", "cannot");
  private static final Set<String> NUMBER_WORDS =
      Set.of(
          ("zero one two three four five six seven eight nine ten eleven twelve hundred thousand"
                  + " million billion first second third fourth fifth half quarter double twice"
                  + " ii iii iv vi vii viii ix xi xii")
              .split(" "));
  private static final Set<String> DIRECTION_MARKERS = Set.of("to", "into", "from");

  private NearMissGuard() {}

  /** What the guard looks at in one question. */
  private record Features(
      List<String> numbers, int negations, List<String> content, Map<String, String> targets) {}

  /** Whether an answer to {@code stored} may answer {@code asked}, as far as words tell. */
  public static boolean compatible(String stored, String asked) {
    Features a = features(stored);
    Features b = features(asked);
    if (!a.numbers().equals(b.numbers()) || a.negations() != b.negations()) {
      return false;
    }
    boolean onlyInA =
        a.content().stream().anyMatch(w -> b.content().stream().noneMatch(x -> sameStem(w, x)));
    boolean onlyInB =
        b.content().stream().anyMatch(w -> a.content().stream().noneMatch(x -> sameStem(w, x)));
    if (onlyInA && onlyInB) {
      return false;
    }
    for (Map.Entry<String, String> target : a.targets().entrySet()) {
      String other = b.targets().get(target.getKey());
      if (other != null && !sameStem(target.getValue(), other)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> tokens(String text) {
    String lower = text.toLowerCase(Locale.ROOT).replace("n't", " not").replace('’', '\'');
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(lower);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static boolean isNumber(String token) {
    return NUMBER_WORDS.contains(token) || token.chars().anyMatch(Character::isDigit);
  }

  private static Features features(String text) {
    List<String> tokens = tokens(text);
    List<String> numbers = new ArrayList<>();
    List<String> content = new ArrayList<>();
    Map<String, String> targets = new HashMap<>();
    int negations = 0;
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (DIRECTION_MARKERS.contains(token)) {
        for (int j = i + 1; j < tokens.size(); j++) {
          if (!FUNCTION_WORDS.contains(tokens.get(j))) {
            targets.putIfAbsent(token, tokens.get(j));
            break;
          }
        }
      }
      if (isNumber(token)) {
        numbers.add(token);
      } else if (NEGATIONS.contains(token)) {
        negations++;
      } else if (!FUNCTION_WORDS.contains(token)) {
        content.add(token);
      }
    }
    numbers.sort(null);
    return new Features(numbers, negations, content, targets);
  }

  /** Whether two words share a stem: a common prefix of five, or all of a shorter word of four. */
  static boolean sameStem(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int p = 0;
    while (p < n && a.charAt(p) == b.charAt(p)) {
      p++;
    }
    return a.equals(b) || p >= 5 || (p == n && p >= 4);
  }
}
