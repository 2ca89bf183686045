package dev.portcullis.gateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link O200kPieces} against the pattern jtokkit's o200k_base encoding itself splits with (read
 * from the encoding, so a library upgrade that changes it fails here), piece by piece, over random
 * text; and its count as a lower bound of the token count.
 */
class O200kPiecesTest {
  private static final Encoding O200K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  /** Stretches random text is made of: every class the pattern tells apart, and its edges. */
  private static final String[] ATOMS = {
    "a",
    "z",
    "A",
    "Z",
    "hello",
    "World",
    "HTML",
    "camelCase",
    "XMLHttp",
    "é",
    "É",
    "ß",
    "ǅ",
    "ǈ",
    "ʰ",
    "ˈ",
    "ª",
    "Ωμέγα",
    "Привет",
    "ПРИВЕТ",
    "中文",
    "日本語です",
    "ｶﾀｶﾅ",
    "한국어",
    "مرحبا",
    "עברית",
    "हिन्दी",
    "தமிழ்",
    "ไทย",
    "e\u0301",
    "\u0301",
    "\u20dd",
    "\u0903",
    "ᾼ",
    "İ",
    "ı",
    "0",
    "7",
    "12",
    "345",
    "6789",
    "٣",
    "²",
    "½",
    "Ⅻ",
    "〇",
    "𝟘",
    " ",
    "  ",
    "   ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    " \n",
    "\u000b",
    "\f",
    "\u0085",
    "\u00a0",
    "\u1680",
    "\u2003",
    "\u2028",
    "\u2029",
    "\u202f",
    "\u3000",
    "\u001c",
    "\u200b",
    "'",
    "'s",
    "'S",
    "'ſ",
    "'t",
    "'re",
    "'RE",
    "'ve",
    "'m",
    "'ll",
    "'Ll",
    "'d",
    "'x",
    "’s",
    ".",
    ",",
    "!",
    "?",
    "...",
    "/",
    "//",
    "\\",
    "-",
    "_",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "#",
    "@",
    "$",
    "%",
    "&",
    "*",
    "+",
    "=",
    "<",
    ">",
    "|",
    "~",
    "`",
    "^",
    ":",
    ";",
    "€",
    "©",
    "\u0000",
    "\u007f",
    "\u00ad",
    "😀",
    "👍🏽",
    "👨‍👩‍👧",
    "🇩🇪",
    "𝔘𝔫𝔦",
    "𠀀",
    "\ud800",
    "\udc00",
    "\ue000",
    "\ufffd",
    "\uffff"
  };

  private static Pattern libraryPattern() throws ReflectiveOperationException {
    Field field = O200K.getClass().getDeclaredField("pattern");
    field.setAccessible(true);
    return (Pattern) field.get(O200K);
  }

  private static List<Integer> libraryEnds(Pattern pattern, String text) {
    List<Integer> ends = new ArrayList<>();
    Matcher m = pattern.matcher(text);
    int at = 0;
    while (m.find()) {
      assertThat(m.start()).as("the pattern leaves nothing out").isEqualTo(at);
      ends.add(m.end());
      at = m.end();
    }
    assertThat(at).isEqualTo(text.length());
    return ends;
  }

  private static List<Integer> ends(String text) {
    List<Integer> ends = new ArrayList<>();
    for (int i = 0; i < text.length(); i = O200kPieces.end(text, i)) {
      ends.add(O200kPieces.end(text, i));
    }
    return ends;
  }

  private static void assertSameSplit(Pattern pattern, String text) {
    assertThat(ends(text)).as("pieces of %s", escaped(text)).isEqualTo(libraryEnds(pattern, text));
  }

  private static String escaped(String text) {
    StringBuilder b = new StringBuilder("\"");
    text.chars()
        .forEach(c -> b.append(c >= 0x20 && c < 0x7f ? "" + (char) c : "\\u%04x".formatted(c)));
    return b.append('"').toString();
  }

  /** Up to {@code atoms} random stretches of {@link #ATOMS}. */
  static String mixedText(Random random, int atoms) {
    StringBuilder b = new StringBuilder();
    for (int i = random.nextInt(atoms + 1); i > 0; i--) {
      b.append(ATOMS[random.nextInt(ATOMS.length)]);
    }
    return b.toString();
  }

  @Test
  void splitsAsTheLibrarysPatternOnTextOfMixedClasses() throws Exception {
    Pattern pattern = libraryPattern();
    Random random = new Random(20261206);
    for (int n = 0; n < 30_000; n++) {
      assertSameSplit(pattern, mixedText(random, 11));
    }
  }

  @Test
  void splitsAsTheLibrarysPatternOnRandomCodePoints() throws Exception {
    Pattern pattern = libraryPattern();
    Random random = new Random(7);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(16);
      for (int i = 0; i < length; i++) {
        int r = random.nextInt(4);
        // Mostly the BMP, some ASCII, some anywhere (unassigned, private use, lone surrogates).
        int c =
            r == 0
                ? random.nextInt(0x80)
                : r == 3 ? random.nextInt(Character.MAX_CODE_POINT + 1) : random.nextInt(0x10000);
        b.appendCodePoint(c);
      }
      assertSameSplit(pattern, b.toString());
    }
  }

  @Test
  void splitsAsTheLibrarysPatternOnEveryBmpCharacterInContext() throws Exception {
    Pattern pattern = libraryPattern();
    for (int c = 0; c < 0x10000; c++) {
      String ch = String.valueOf((char) c);
      assertSameSplit(pattern, "a" + ch + "b" + ch + ch + " " + ch + "'s\n" + ch + "1" + ch);
      assertSameSplit(pattern, "A" + ch + "B " + ch + ch + "  " + ch);
    }
  }

  @Test
  void piecesAreALowerBoundOfTheTokens() {
    Random random = new Random(11);
    for (int n = 0; n < 3_000; n++) {
      String text = mixedText(random, 39);
      assertThat(LocalTokenCounter.LOWER_BOUND.count(text))
          .as("pieces of %s", escaped(text))
          .isLessThanOrEqualTo(new LocalTokenCounter().count(text));
    }
  }
}
