package dev.portcullis.gateway.guardrail;

import static dev.portcullis.gateway.guardrail.GuardrailFixtures.compile;
import static dev.portcullis.gateway.guardrail.GuardrailFixtures.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegexCheckTest {
  private static final CheckContext CONTEXT =
      new CheckContext("input", "team-a/p", "c", GuardrailRequest.anonymous("r"));

  @Test
  void findsEveryMatchAsARedactableSpan() {
    ContentCheck check = compile("regex", "{'pattern':'TICKET-[0-9]+'}");
    assertThat(check).isInstanceOf(SpanCheck.class);
    assertThat(matches((SpanCheck) check, "see TICKET-12 and TICKET-345."))
        .containsExactly("REDACTED:TICKET-12", "REDACTED:TICKET-345");
  }

  @Test
  void mustMatchIsAWholeTextCheckFiringWhenTheTextDoesNotMatch() {
    ContentCheck compiled = compile("regex", "{'pattern':'TICKET-[0-9]+','mustMatch':true}");
    assertThat(compiled).isInstanceOf(WholeTextCheck.class).isNotInstanceOf(SpanCheck.class);
    WholeTextCheck check = (WholeTextCheck) compiled;
    assertThat(check.fires("about TICKET-42", CONTEXT)).isFalse();
    assertThat(check.fires("no ticket here", CONTEXT)).isTrue();
    assertThat(check.fires("TICKET- without digits", CONTEXT)).isTrue();
  }

  @Test
  void rejectsBackReferencesAndLookAroundNamingTheField() {
    assertThatThrownBy(() -> compile("regex", "{'pattern':'(a)\\\\1'}"))
        .isInstanceOf(GuardrailCompileException.class)
        .hasMessageStartingWith("regex.pattern: not valid RE2 syntax");
    assertThatThrownBy(() -> compile("regex", "{'pattern':'foo(?=bar)'}"))
        .hasMessageStartingWith("regex.pattern");
  }

  @Test
  void aCatastrophicBacktrackingPatternAnswersInMillisecondsOn30000Characters() {
    // (a+)+$ takes exponential time in a backtracking engine on "aaa...ab"; RE2 is linear.
    SpanCheck check = compile("regex", "{'pattern':'(a+)+$'}");
    String text = "a".repeat(30_000) + "b";
    long start = System.nanoTime();
    assertThat(matches(check, text)).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

    WholeTextCheck nested = compile("regex", "{'pattern':'^(\\\\w+\\\\s?)*$','mustMatch':true}");
    String words = "word ".repeat(6_000) + "!";
    start = System.nanoTime();
    assertThat(nested.fires(words, CONTEXT)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void streamsHoldBackTheDocumentedWindowWhenTheMatchIsUnbounded() {
    SpanCheck check = compile("regex", "{'pattern':'x[a-z]*'}");
    String text = "y".repeat(500);
    assertThat(check.holdFrom(text)).isEqualTo(500 - CompiledRegexCheck.STREAM_WINDOW);
    assertThat(check.holdFrom("short")).isZero();
  }

  /** The most UTF-16 characters a match spans, from RE2/J's parse; -1: unbounded or above 128. */
  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      value = {
        "TICKET-[0-9]+ => -1",
        "x[a-z]* => -1",
        "[a-z]{3,} => -1",
        "[A-Z]{2}[0-9]{6} => 8",
        "\\d{3}-\\d{2}-\\d{4} => 11",
        "(?i)acme|globex corp => 11",
        "\\b(ab|c){1,3}\\b => 6",
        "(?:x*)? => -1",
        "^a(b)?$ => 2",
        ". => 2",
        "[a-z\\x{1F600}] => 2",
        "é => 1",
        "(?i)é => 2",
        "a{128} => 128",
        "a{129} => -1",
        "(a{100}){2} => -1",
        "(?:\\b)* => 0",
      })
  void theLongestMatchIsReadFromRe2sOwnParse(String pattern, int expected) {
    assertThat(RegexMaxLength.of(pattern.strip(), CompiledRegexCheck.STREAM_WINDOW).orElse(-1))
        .as(pattern)
        .isEqualTo(expected);
  }

  @Test
  void streamsHoldOnlyTheLongestMatchOfABoundedPattern() {
    SpanCheck plate = compile("regex", "{'pattern':'[A-Z]{2}[0-9]{6}'}");
    assertThat(plate.holdFrom("y".repeat(500))).isEqualTo(492);
    assertThat(plate.holdFrom("short")).isZero();
    SpanCheck tooLong = compile("regex", "{'pattern':'[a-z]{200}'}");
    assertThat(tooLong.holdFrom("y".repeat(500))).isEqualTo(500 - CompiledRegexCheck.STREAM_WINDOW);
    // with a literal the prefilter's hold is the smaller one: nothing can grow from "y"
    SpanCheck ticket = compile("regex", "{'pattern':'TICKET-[0-9]{2,4}'}");
    assertThat(ticket.holdFrom("y".repeat(500))).isEqualTo(500);
  }

  @Test
  void streamsHoldOnlyWhatABoundedMatchCouldStillGrowFrom() {
    SpanCheck host =
        compile("regex", "{'pattern':'\\\\b[a-z0-9-]+\\\\.corp\\\\.example\\\\.com\\\\b'}");
    assertThat(host.holdFrom("see you. ")).isEqualTo(9); // nothing can grow from a space
    assertThat(host.holdFrom("deploy to build-7")).isEqualTo(10); // the trailing run
    assertThat(host.holdFrom("deploy to build-7.co")).isEqualTo(10); // a tail that begins it
    assertThat(host.holdFrom("to db.corp.example.com")).isEqualTo(3); // \\b still open
    assertThat(host.holdFrom("to db.corp.example.com!")).isEqualTo(23);
    SpanCheck x = compile("regex", "{'pattern':'x'}");
    assertThat(x.holdFrom("y".repeat(500))).isEqualTo(500);
  }

  @Test
  void thePrefilterFindsTheLiteralEveryMatchNeeds() {
    RegexPrefilter example = RegexPrefilter.of("\\b[a-z0-9-]+\\.corp\\.example\\.com\\b");
    assertThat(example.literal).isEqualTo(".corp.example.com");
    assertThat(example.maxSuffix).isZero();
    assertThat(example.occurrenceOwnsMatch).isTrue();
    assertThat(RegexPrefilter.of("TICKET-[0-9]+").literal).isEqualTo("TICKET-");
    assertThat(RegexPrefilter.of("TICKET-[0-9]+").maxSuffix).isEqualTo(-1);
    assertThat(RegexPrefilter.of("(?i)secret").ignoreCase).isTrue();
    // No literal every match must contain: no prefilter.
    assertThat(RegexPrefilter.of("foo|bar").usable()).isFalse();
    assertThat(RegexPrefilter.of("[a-z]+@[a-z]+").literal).isEqualTo("@");
    assertThat(RegexPrefilter.of("a?b*").usable()).isFalse();
    assertThat(RegexPrefilter.of("\\d{3}").usable()).isFalse();
    assertThat(RegexPrefilter.of("\\Qa.b\\E").usable()).isFalse();
    assertThat(RegexPrefilter.of("colou?r").literal).isEqualTo("colo");
  }

  @Test
  void aCaseInsensitivePatternMatchesFoldedTextTheWayRe2Does() {
    SpanCheck check = compile("regex", "{'pattern':'(?i)\\\\bask [a-z]+'}");
    // U+212A KELVIN SIGN and U+017F LONG S fold to k and s in RE2.
    String text = "ASK me, aſk him, as\u212A her, mask it, ask";
    assertThat(matches(check, text)).isEqualTo(reference("(?i)\\bask [a-z]+", text));
    assertThat(matches(check, text)).hasSize(3);
  }

  /**
   * The prefilter never changes what matches: for patterns of many shapes, over random text made of
   * the pieces the patterns look for, the check finds exactly what RE2 alone finds.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "\\b[a-z0-9-]+\\.corp\\.example\\.com\\b",
        "[a-z.]+\\.com",
        "[a-z]+\\.com[a-z]?",
        "TICKET-[0-9]+",
        "TICKET-[0-9]{2,4}\\b",
        "\\bab\\b",
        "(?i)ab[c-e]{1,3}",
        "(?i:x)AB",
        "x*abc",
        "a(b|c)abc.?",
        "^abc",
        "abc$",
        "(?m)abc$",
        "[^ ]+@[^ ]+",
        "\\w+@\\w+\\.com",
        "[[:alpha:]]+\\.com",
        "\\.com\\.",
        "a.com",
        "\\bcom\\b",
        "c+om",
        "[a-]+\\.co",
        "c\\157m",
        "\\x2ecom",
        "\\x{2e}c",
      })
  void thePrefilterFindsExactlyWhatRe2AloneFinds(String pattern) {
    SpanCheck check = compile("regex", "{'pattern':" + jsonString(pattern) + "}");
    WholeTextCheck mustMatch =
        compile("regex", "{'pattern':" + jsonString(pattern) + ",'mustMatch':true}");
    String[] pieces = {
      "a",
      "b",
      "c",
      ".",
      "com",
      ".com",
      "AB",
      "ab",
      "abc",
      "ABC",
      "x",
      " ",
      "-",
      "@",
      "e",
      "TICKET-",
      "1",
      "23",
      "\n",
      "corp",
      ".corp.example.com",
      "build-7",
      "\u212A",
      "é",
      "_",
    };
    Random random = new Random(pattern.hashCode());
    for (int round = 0; round < 400; round++) {
      StringBuilder b = new StringBuilder();
      int count = 1 + random.nextInt(40);
      for (int i = 0; i < count; i++) {
        b.append(pieces[random.nextInt(pieces.length)]);
      }
      String text = b.toString();
      List<String> expected = reference(pattern, text);
      assertThat(matches(check, text)).as("%s on %s", pattern, text).isEqualTo(expected);
      assertThat(mustMatch.fires(text, CONTEXT))
          .as("%s on %s", pattern, text)
          .isEqualTo(expected.isEmpty());
    }
  }

  private static List<String> reference(String pattern, String text) {
    Matcher m = Pattern.compile(pattern).matcher(text);
    List<String> out = new ArrayList<>();
    int from = 0;
    while (from <= text.length() && m.find(from)) {
      if (m.end() > m.start()) {
        out.add("REDACTED:" + text.substring(m.start(), m.end()));
        from = m.end();
      } else {
        from = m.end() + 1;
      }
    }
    return out;
  }

  private static String jsonString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
