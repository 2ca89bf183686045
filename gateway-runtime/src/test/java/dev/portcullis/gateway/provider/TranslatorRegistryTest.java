package dev.portcullis.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.gemini.OpenAiToGeminiTranslator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranslatorRegistryTest {
  /** A translator that only knows its formats; the registry never calls the rest. */
  private record FormatsOnly(WireFormat client, WireFormat upstream) implements Translator {
    @Override
    public ObjectNode request(Operation operation, ObjectNode clientRequest) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ObjectNode response(
        Operation operation, ObjectNode upstreamResponse, String clientModel) {
      throw new UnsupportedOperationException();
    }

    @Override
    public StreamTranslator stream(Operation operation, String clientModel) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ObjectNode error(int status, ObjectNode upstreamError) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void sameFormatNeedsNoTranslator() {
    TranslatorRegistry registry = TranslatorRegistry.builtIn();

    assertThat(registry.lookup(WireFormat.OPENAI, WireFormat.OPENAI)).isEmpty();
    assertThat(registry.lookup(WireFormat.ANTHROPIC, WireFormat.ANTHROPIC)).isEmpty();
    assertThat(registry.supports(WireFormat.OPENAI, WireFormat.OPENAI)).isTrue();
  }

  @Test
  void openAiClientsReachGeminiThroughTheBuiltInTranslator() {
    assertThat(TranslatorRegistry.builtIn().lookup(WireFormat.OPENAI, WireFormat.GEMINI))
        .get()
        .isInstanceOf(OpenAiToGeminiTranslator.class);
  }

  @Test
  void findsTheTranslatorRegisteredForAPair() {
    Translator anthropicToOpenAi = new FormatsOnly(WireFormat.ANTHROPIC, WireFormat.OPENAI);
    TranslatorRegistry registry =
        new TranslatorRegistry(
            List.of(anthropicToOpenAi, new FormatsOnly(WireFormat.OPENAI, WireFormat.ANTHROPIC)));

    assertThat(registry.lookup(WireFormat.ANTHROPIC, WireFormat.OPENAI))
        .containsSame(anthropicToOpenAi);
  }

  @Test
  void aMissingPairIsAnErrorNamingBothFormats() {
    TranslatorRegistry registry = new TranslatorRegistry(List.of());

    assertThat(registry.supports(WireFormat.ANTHROPIC, WireFormat.GEMINI)).isFalse();
    assertThatThrownBy(() -> registry.lookup(WireFormat.ANTHROPIC, WireFormat.GEMINI))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("ANTHROPIC")
        .hasMessageContaining("GEMINI");
  }

  @Test
  void twoTranslatorsForOnePairAreRefused() {
    assertThatThrownBy(
            () ->
                new TranslatorRegistry(
                    List.of(
                        new FormatsOnly(WireFormat.OPENAI, WireFormat.GEMINI),
                        new OpenAiToGeminiTranslator())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two translators");
  }

  @Test
  void aTranslatorFromAFormatToItselfIsRefused() {
    assertThatThrownBy(
            () ->
                new TranslatorRegistry(
                    List.of(new FormatsOnly(WireFormat.OPENAI, WireFormat.OPENAI))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
