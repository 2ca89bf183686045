package dev.portcullis.gateway.guardrail;

import static dev.portcullis.gateway.guardrail.GuardrailFixtures.compile;
import static dev.portcullis.gateway.guardrail.GuardrailFixtures.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegexCheckTest {
  private static final CheckContext CONTEXT =
      new CheckContext("input", "team-a/p", "c", GuardrailRequest.anonymous("r"));

  @Test
  void findsEveryMatchAsARedactableSpan() {
    ContentCheck check = compile("regex", "{'pattern':'TICKET-[0-9]+'}");
    assertThat(matches(check, "see TICKET-12 and TICKET-345."))
        .containsExactly("REDACTED:TICKET-12", "REDACTED:TICKET-345");
    assertThat(check.reading()).isEqualTo(ContentCheck.Reading.SPANS);
  }

  @Test
  void mustMatchFiresWhenTheTextDoesNotMatch() {
    ContentCheck check = compile("regex", "{'pattern':'TICKET-[0-9]+','mustMatch':true}");
    assertThat(check.reading()).isEqualTo(ContentCheck.Reading.WHOLE_TEXT);
    assertThat(check.fires("about TICKET-42", CONTEXT)).isFalse();
    assertThat(check.fires("no ticket here", CONTEXT)).isTrue();
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
    ContentCheck check = compile("regex", "{'pattern':'(a+)+$'}");
    String text = "a".repeat(30_000) + "b";
    long start = System.nanoTime();
    assertThat(matches(check, text)).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

    ContentCheck nested = compile("regex", "{'pattern':'^(\\\\w+\\\\s?)*$','mustMatch':true}");
    String words = "word ".repeat(6_000) + "!";
    start = System.nanoTime();
    assertThat(nested.fires(words, CONTEXT)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void streamsHoldBackTheDocumentedWindow() {
    ContentCheck check = compile("regex", "{'pattern':'x'}");
    String text = "y".repeat(500);
    assertThat(check.holdFrom(text)).isEqualTo(500 - CompiledRegexCheck.STREAM_WINDOW);
    assertThat(check.holdFrom("short")).isZero();
  }
}
