package dev.portcullis.gateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeminiToolCallIdsTest {
  @Test
  void anIdWithoutSignatureCarriesNone() {
    String id = GeminiToolCallIds.newId(null);

    assertThat(id).startsWith("call_");
    assertThat(GeminiToolCallIds.thoughtSignature(id)).isEmpty();
  }

  @Test
  void aSignatureSurvivesTheRoundTripThroughAnIdOfSafeCharacters() {
    String signature = "Ej8KPQG+/z9xY2VkYWJj+w==";

    String id = GeminiToolCallIds.newId(signature);

    assertThat(id).matches("[A-Za-z0-9_-]+");
    assertThat(GeminiToolCallIds.thoughtSignature(id)).hasValue("Ej8KPQG+/z9xY2VkYWJj+w==");
  }

  @Test
  void idsFromOtherProvidersCarryNoSignature() {
    assertThat(GeminiToolCallIds.thoughtSignature("call_abc123")).isEmpty();
    assertThat(GeminiToolCallIds.thoughtSignature("toolu_01A09q90qw90lq917835lq9")).isEmpty();
  }

  @Test
  void idsAreUnique() {
    assertThat(GeminiToolCallIds.newId(null)).isNotEqualTo(GeminiToolCallIds.newId(null));
  }
}
