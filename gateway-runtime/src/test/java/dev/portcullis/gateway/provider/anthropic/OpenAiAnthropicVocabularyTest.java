package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.provider.Correspondence;
import dev.portcullis.gateway.provider.anthropic.OpenAiAnthropicVocabulary.TokenCounts;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiAnthropicVocabularyTest {

  static Stream<Correspondence> tables() {
    return Stream.of(
        OpenAiAnthropicVocabulary.STOP_REASONS,
        OpenAiAnthropicVocabulary.ERROR_TYPES,
        OpenAiAnthropicVocabulary.ROLES,
        OpenAiAnthropicVocabulary.TOOL_CHOICE_MODES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void everyPairMapsBackToItself(Correspondence table) {
    assertThat(table.pairs()).isNotEmpty();
    for (Map.Entry<String, String> pair : table.pairs()) {
      assertThat(table.toRight(pair.getKey())).isEqualTo(pair.getValue());
      assertThat(table.toLeft(table.toRight(pair.getKey()))).isEqualTo(pair.getKey());
      assertThat(table.toRight(table.toLeft(pair.getValue()))).isEqualTo(pair.getValue());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void everyTermOnlyOneSideHasSettlesAfterOneRoundTrip(Correspondence table) {
    table
        .leftToRight()
        .forEach(
            (left, right) -> {
              String back = table.toLeft(right);
              assertThat(table.toRight(back)).as(left).isEqualTo(right);
            });
    table
        .rightToLeft()
        .forEach(
            (right, left) -> {
              String back = table.toRight(left);
              assertThat(table.toLeft(back)).as(right).isEqualTo(left);
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void defaultsAreTermsOfTheirSide(Correspondence table) {
    assertThat(table.knowsLeft(table.leftDefault())).isTrue();
    assertThat(table.knowsRight(table.rightDefault())).isTrue();
  }

  @Test
  void anAbsentStopReasonIsNoFinishYetButAnAbsentFinishReasonIsANormalEnd() {
    assertThat(OpenAiAnthropicVocabulary.openAiFinishReason(null)).isNull();
    assertThat(OpenAiAnthropicVocabulary.anthropicStopReason(null)).isEqualTo("end_turn");
  }

  @Test
  void openAiErrorCodesWinOverAGenericType() {
    assertThat(
            OpenAiAnthropicVocabulary.anthropicErrorType(
                "invalid_request_error", "invalid_api_key"))
        .isEqualTo("authentication_error");
    assertThat(OpenAiAnthropicVocabulary.anthropicErrorType("server_error", "rate_limit_exceeded"))
        .isEqualTo("rate_limit_error");
  }

  @Test
  void tokenCountsSurviveTheTripThroughOpenAiUsage() {
    TokenCounts counts = new TokenCounts(18, 64, 0, 7);
    assertThat(TokenCounts.fromOpenAi(counts.toOpenAi())).isEqualTo(counts);
  }

  @Test
  void cacheWritesTravelInOpenAiPromptTokensAndComeBackAsInput() {
    TokenCounts counts = new TokenCounts(10, 5, 3, 2);
    assertThat(Fixtures.onTheWire(counts.toOpenAi()))
        .isEqualTo(
            json(
                "{'prompt_tokens':18,'completion_tokens':2,'total_tokens':20,"
                    + "'prompt_tokens_details':{'cached_tokens':5}}"));
    assertThat(TokenCounts.fromOpenAi(counts.toOpenAi())).isEqualTo(new TokenCounts(13, 5, 0, 2));
  }

  @Test
  void anthropicUsageRestatesOnlyTheCountsItCarries() {
    TokenCounts start =
        TokenCounts.ZERO.withAnthropic(json("{'input_tokens':12,'output_tokens':1}"));
    TokenCounts end = start.withAnthropic(json("{'output_tokens':40}"));
    assertThat(end).isEqualTo(new TokenCounts(12, 0, 0, 40));
    assertThat(TokenCounts.ZERO.withAnthropic(end.toAnthropic())).isEqualTo(end);
  }
}
