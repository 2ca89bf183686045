package dev.portcullis.gateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.provider.Correspondence;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiGeminiVocabularyTest {

  static Stream<Correspondence> tables() {
    return Stream.of(
        OpenAiGeminiVocabulary.FINISH_REASONS,
        OpenAiGeminiVocabulary.ROLES,
        OpenAiGeminiVocabulary.TOOL_CHOICE_MODES,
        OpenAiGeminiVocabulary.ERROR_TYPES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void everyPairMapsBackToItself(Correspondence table) {
    for (Map.Entry<String, String> pair : table.pairs()) {
      assertThat(table.toLeft(table.toRight(pair.getKey()))).isEqualTo(pair.getKey());
      assertThat(table.toRight(table.toLeft(pair.getValue()))).isEqualTo(pair.getValue());
    }
  }

  @Test
  void aTurnEndingInFunctionCallsIsToolCallsWhateverGeminiSays() {
    assertThat(OpenAiGeminiVocabulary.finishReason("STOP", true)).isEqualTo("tool_calls");
    assertThat(OpenAiGeminiVocabulary.finishReason("STOP", false)).isEqualTo("stop");
    assertThat(OpenAiGeminiVocabulary.finishReason("RECITATION", false))
        .isEqualTo("content_filter");
  }

  @Test
  void aGeminiStatusOutsideTheTableLeavesTheTypeToTheHttpStatus() {
    assertThat(OpenAiGeminiVocabulary.errorType("INTERNAL", 500)).isEqualTo("server_error");
    assertThat(OpenAiGeminiVocabulary.errorType("FAILED_PRECONDITION", 400))
        .isEqualTo("invalid_request_error");
  }
}
