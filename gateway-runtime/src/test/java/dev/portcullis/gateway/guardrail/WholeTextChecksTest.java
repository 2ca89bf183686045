package dev.portcullis.gateway.guardrail;

import static dev.portcullis.gateway.guardrail.GuardrailFixtures.compile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The length and jsonSchema checks, which judge whole text. */
class WholeTextChecksTest {
  private static final CheckContext CONTEXT =
      new CheckContext("output", "team-a/p", "c", GuardrailRequest.anonymous("r"));

  @Test
  void lengthCountsCharacters() {
    WholeTextCheck check = compile("length", "{'maxCharacters':10}");
    assertThat(check.fires("0123456789", CONTEXT)).isFalse();
    assertThat(check.fires("0123456789!", CONTEXT)).isTrue();
  }

  @Test
  void lengthCountsTokensWithTheGatewaysTokenizer() {
    WholeTextCheck check = compile("length", "{'maxTokens':5}");
    // "hello world" is 2 o200k tokens; 40 characters of repeated words are more than 5.
    assertThat(check.fires("hello world", CONTEXT)).isFalse();
    assertThat(check.fires("hello world ".repeat(4), CONTEXT)).isTrue();
    assertThat(GuardrailFixtures.TOKENS.count("hello world")).isEqualTo(2);
  }

  @Test
  void lengthCountsOnlyWhenNeitherBoundSettlesIt() {
    WholeTextCheck check = compile("length", "{'maxTokens':5}");
    AtomicInteger counted = new AtomicInteger();
    assertThat(check.fires("x", prompt(100, 6, 6, counted))).isTrue();
    assertThat(counted).as("over the lower bound: no count").hasValue(0);
    assertThat(check.fires("x", prompt(5, 0, 9, counted))).isFalse();
    assertThat(counted).as("under the upper bound: no count").hasValue(0);
    assertThat(check.fires("x", prompt(100, 5, 6, counted))).isTrue();
    assertThat(check.fires("x", prompt(100, 2, 5, counted))).isFalse();
    assertThat(counted).hasValue(2);
    // Without a prompt count: 5 pieces and 5 tokens; 6 pieces settle it without the tokens.
    assertThat(check.fires("hello world ".repeat(2), CONTEXT)).isFalse();
    assertThat(GuardrailFixtures.TOKENS.atLeast("a b c d e f")).isEqualTo(6);
    assertThat(check.fires("a b c d e f", CONTEXT)).isTrue();
  }

  private static CheckContext prompt(long atMost, long atLeast, int count, AtomicInteger counted) {
    TokenCount tokens =
        new TokenCount() {
          @Override
          public long atMost() {
            return atMost;
          }

          @Override
          public long atLeast() {
            return atLeast;
          }

          @Override
          public int count() {
            counted.incrementAndGet();
            return count;
          }
        };
    return new CheckContext("input", "team-a/p", "c", GuardrailRequest.anonymous("r"), tokens);
  }

  @Test
  void lengthNeedsALimit() {
    assertThatThrownBy(() -> compile("length", "{}")).hasMessageStartingWith("length:");
  }

  @Test
  void jsonSchemaPassesValidJsonOnly() {
    WholeTextCheck check =
        compile(
            "jsonSchema",
            "{'schema':{'type':'object','required':['answer'],"
                + "'properties':{'answer':{'type':'string','minLength':1}}}}");
    assertThat(check.fires("{\"answer\":\"42\"}", CONTEXT)).isFalse();
    assertThat(check.fires("  {\"answer\":\"42\"}\n", CONTEXT)).isFalse();
    assertThat(check.fires("{\"answer\":\"\"}", CONTEXT)).isTrue();
    assertThat(check.fires("{\"other\":1}", CONTEXT)).isTrue();
    assertThat(check.fires("The answer is 42", CONTEXT)).isTrue();
    assertThat(check.fires("```json\n{\"answer\":\"42\"}\n```", CONTEXT)).isTrue();
    assertThat(check.fires("{\"answer\":\"42\"} and more", CONTEXT)).isTrue();
    assertThat(check.fires("", CONTEXT)).isTrue();
  }

  @Test
  void jsonSchemaNeedsAnObject() {
    assertThatThrownBy(() -> compile("jsonSchema", "{'schema':'object'}"))
        .hasMessageStartingWith("jsonSchema.schema");
  }

  @Test
  void anUnknownCheckTypeIsRejectedNamingTheKnownOnes() {
    assertThatThrownBy(() -> compile("sentiment", "{}"))
        .hasMessageContaining("sentiment")
        .hasMessageContaining("denyList");
  }
}
