package dev.portcullis.gateway.cache;

import static dev.portcullis.gateway.cache.CacheKeyTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorabilityTest {
  private static final String CHAT =
      "{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Paris\"},\"finish_reason\":\"%s\"}]}";
  private static final String MESSAGE =
      "{\"id\":\"m1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Paris\"}],\"stop_reason\":\"%s\"}";

  private static boolean chat(int status, String finish) {
    return Storability.isStorable(
        CachedOperation.OPENAI_CHAT_COMPLETIONS, status, json(CHAT.formatted(finish)));
  }

  private static boolean message(String stop) {
    return Storability.isStorable(
        CachedOperation.ANTHROPIC_MESSAGES, 200, json(MESSAGE.formatted(stop)));
  }

  @Test
  void aCompleteSuccessfulAnswerIsStorable() {
    assertThat(chat(200, "stop")).isTrue();
    assertThat(chat(200, "tool_calls")).isTrue();
    assertThat(chat(200, "length")).isTrue();
    assertThat(message("end_turn")).isTrue();
    assertThat(message("tool_use")).isTrue();
    assertThat(message("max_tokens")).isTrue();
  }

  @Test
  void anErrorStatusIsNeverStored() {
    assertThat(chat(500, "stop")).isFalse();
    assertThat(chat(429, "stop")).isFalse();
  }

  @Test
  void filteredAndRefusedAnswersAreNeverStored() {
    assertThat(chat(200, "content_filter")).isFalse();
    assertThat(message("refusal")).isFalse();
    assertThat(message("pause_turn")).isFalse();
    assertThat(
            Storability.isStorable(
                CachedOperation.OPENAI_CHAT_COMPLETIONS,
                200,
                json(
                    "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help\"},\"finish_reason\":\"stop\"}]}")))
        .isFalse();
  }

  @Test
  void anAnswerWithoutAFinishReasonIsIncomplete() {
    assertThat(
            Storability.isStorable(
                CachedOperation.OPENAI_CHAT_COMPLETIONS,
                200,
                json(
                    "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"Par\"},\"finish_reason\":null}]}")))
        .isFalse();
    assertThat(
            Storability.isStorable(
                CachedOperation.ANTHROPIC_MESSAGES,
                200,
                json("{\"type\":\"message\",\"content\":[]}")))
        .isFalse();
    assertThat(
            Storability.isStorable(
                CachedOperation.OPENAI_COMPLETIONS, 200, json("{\"choices\":[]}")))
        .isFalse();
  }

  @Test
  void anErrorBodyIsNeverStored() {
    assertThat(
            Storability.isStorable(
                CachedOperation.ANTHROPIC_MESSAGES,
                200,
                json("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}")))
        .isFalse();
  }
}
