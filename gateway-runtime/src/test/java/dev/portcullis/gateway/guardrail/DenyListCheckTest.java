package dev.portcullis.gateway.guardrail;

import static dev.portcullis.gateway.guardrail.GuardrailFixtures.compile;
import static dev.portcullis.gateway.guardrail.GuardrailFixtures.matches;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenyListCheckTest {
  @Test
  void findsListedWordsIgnoringCaseByDefault() {
    SpanCheck check = compile("denyList", "{'words':['acme','globex']}");
    assertThat(matches(check, "ACME beats Globex, says acme."))
        .containsExactly("REDACTED:ACME", "REDACTED:Globex", "REDACTED:acme");
  }

  @Test
  void caseSensitiveFindsOnlyTheExactSpelling() {
    SpanCheck check = compile("denyList", "{'words':['Acme'],'caseSensitive':true}");
    assertThat(matches(check, "acme ACME Acme")).containsExactly("REDACTED:Acme");
  }

  @Test
  void wholeWordsByDefaultSkipsWordsInsideLongerWords() {
    SpanCheck check = compile("denyList", "{'words':['acme']}");
    assertThat(matches(check, "acmeology and pre-acme_x and xacme")).isEmpty();
    assertThat(matches(check, "(acme), acme-corp, acme.")).hasSize(3);
  }

  @Test
  void wholeWordsOffFindsWordsInsideLongerWords() {
    SpanCheck check = compile("denyList", "{'words':['acme'],'wholeWords':false}");
    assertThat(matches(check, "acmeology xacme")).hasSize(2);
  }

  @Test
  void findsPhrasesAndOverlappingWords() {
    SpanCheck check =
        compile("denyList", "{'words':['initech','initech corp','tech corp'],'wholeWords':false}");
    assertThat(matches(check, "Initech Corp rules"))
        .containsExactlyInAnyOrder(
            "REDACTED:Initech", "REDACTED:Initech Corp", "REDACTED:tech Corp");
  }

  @Test
  void findsAnyOfAThousandWordsInOnePass() {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      words.add("brand" + i);
    }
    SpanCheck check =
        compile("denyList", "{'words':" + GuardrailFixtures.JSON.valueToTree(words) + "}");
    assertThat(matches(check, "we sell brand999 and brand7, not brand1000"))
        .containsExactly("REDACTED:brand999", "REDACTED:brand7");
  }

  @Test
  void holdsOnlyTheTrailingCharactersThatCouldStillBecomeAWord() {
    SpanCheck check = compile("denyList", "{'words':['acme','globex']}");
    assertThat(check.holdFrom("we like ac")).isEqualTo(8);
    assertThat(check.holdFrom("we like glob")).isEqualTo(8);
    assertThat(check.holdFrom("we like acme")).isEqualTo(8); // the next character decides
    assertThat(check.holdFrom("we like xyz")).isEqualTo(11);
  }
}
