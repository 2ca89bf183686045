package dev.portcullis.gateway.provider.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.provider.Correspondence;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResponsesChatVocabularyTest {

  static Stream<Correspondence> tables() {
    return Stream.of(
        ResponsesChatVocabulary.ENDING,
        ResponsesChatVocabulary.ROLE,
        ResponsesChatVocabulary.PART,
        ResponsesChatVocabulary.TOOL_CHOICE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void everyPairMapsBackToItself(Correspondence table) {
    for (Map.Entry<String, String> pair : table.pairs()) {
      assertThat(table.toLeft(table.toRight(pair.getKey()))).isEqualTo(pair.getKey());
      assertThat(table.toRight(table.toLeft(pair.getValue()))).isEqualTo(pair.getValue());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void everyAliasSettlesAfterOneRoundTrip(Correspondence table) {
    table
        .leftToRight()
        .forEach((left, right) -> assertThat(table.toRight(table.toLeft(right))).isEqualTo(right));
    table
        .rightToLeft()
        .forEach((right, left) -> assertThat(table.toLeft(table.toRight(left))).isEqualTo(left));
  }

  @Test
  void aToolCallIsACompletedResponseAndALengthCutAnIncompleteOne() {
    assertThat(ResponsesChatVocabulary.status(ResponsesChatContent.ending("tool_calls")))
        .isEqualTo("completed");
    assertThat(ResponsesChatContent.ending("length")).isEqualTo("max_output_tokens");
    assertThat(ResponsesChatVocabulary.status(ResponsesChatContent.ending("length")))
        .isEqualTo("incomplete");
  }
}
