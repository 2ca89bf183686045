package dev.portcullis.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NearMissGuardTest {
  @Test
  void aRewordingWithAddedWordsIsCompatible() {
    assertThat(
            NearMissGuard.compatible(
                "What is the capital of France?", "What's the capital city of France?"))
        .isTrue();
    assertThat(
            NearMissGuard.compatible(
                "How do I sort a dictionary by value?",
                "How can I sort a dictionary by its values?"))
        .isTrue();
  }

  @Test
  void aReplacedEntityIsNot() {
    assertThat(
            NearMissGuard.compatible(
                "What is the capital of France?", "What is the capital of Germany?"))
        .isFalse();
  }

  @Test
  void differentNumbersAreNot() {
    assertThat(NearMissGuard.compatible("What is 7 times 8?", "What is 7 times 9?")).isFalse();
    assertThat(NearMissGuard.compatible("When did World War I end?", "When did World War II end?"))
        .isFalse();
  }

  @Test
  void aNegationIsNot() {
    assertThat(NearMissGuard.compatible("Should I take the job?", "Should I not take the job?"))
        .isFalse();
    assertThat(NearMissGuard.compatible("Is it safe?", "Isn't it safe?")).isFalse();
  }

  @Test
  void aReversedDirectionIsNot() {
    assertThat(
            NearMissGuard.compatible(
                "Convert 10 miles to kilometers.", "Convert 10 kilometers to miles."))
        .isFalse();
  }
}
