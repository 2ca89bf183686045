package dev.portcullis.gateway.provider;

import dev.portcullis.gateway.provider.anthropic.AnthropicToOpenAiTranslator;
import dev.portcullis.gateway.provider.anthropic.OpenAiToAnthropicTranslator;
import dev.portcullis.gateway.provider.gemini.AnthropicToGeminiTranslator;
import dev.portcullis.gateway.provider.gemini.OpenAiToGeminiTranslator;
import dev.portcullis.gateway.provider.responses.ResponsesToChatTranslator;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The translator for each (client format, upstream format) pair. A pair of equal formats needs
 * none: the request passes through with minimal rewriting.
 */
public final class TranslatorRegistry {
  private record Pair(WireFormat client, WireFormat upstream) {}

  private final Map<Pair, Translator> translators;

  /** Every built-in translator. Adding one: its class plus one line here. */
  public static TranslatorRegistry builtIn() {
    return new TranslatorRegistry(
        List.of(
            new OpenAiToAnthropicTranslator(),
            new AnthropicToOpenAiTranslator(),
            new AnthropicToGeminiTranslator(new AnthropicToOpenAiTranslator()),
            new OpenAiToGeminiTranslator(),
            new ResponsesToChatTranslator(),
            new ComposedTranslator(
                new ResponsesToChatTranslator(), new OpenAiToAnthropicTranslator()),
            new ComposedTranslator(
                new ResponsesToChatTranslator(), new OpenAiToGeminiTranslator())));
  }

  public TranslatorRegistry(Collection<? extends Translator> translators) {
    Map<Pair, Translator> byPair = new HashMap<>();
    for (Translator translator : translators) {
      Pair pair = new Pair(translator.client(), translator.upstream());
      if (pair.client() == pair.upstream()) {
        throw new IllegalArgumentException(
            translator.getClass().getName() + " translates " + pair.client() + " to itself");
      }
      Translator previous = byPair.putIfAbsent(pair, translator);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two translators for "
                + pair.client()
                + " clients in front of "
                + pair.upstream()
                + " upstreams: "
                + previous.getClass().getName()
                + " and "
                + translator.getClass().getName());
      }
    }
    this.translators = Map.copyOf(byPair);
  }

  /**
   * The translator between a client and an upstream format.
   *
   * @return empty when both formats are the same (pass through)
   * @throws UnsupportedOperationException when the pair differs and no translator serves it
   */
  public Optional<Translator> lookup(WireFormat client, WireFormat upstream) {
    if (client == upstream) {
      return Optional.empty();
    }
    Translator translator = translators.get(new Pair(client, upstream));
    if (translator == null) {
      throw new UnsupportedOperationException(
          "no translator for "
              + client
              + " clients in front of "
              + upstream
              + " upstreams; route such clients to a target of another provider");
    }
    return Optional.of(translator);
  }

  /** Whether clients of {@code client} format can use upstreams of {@code upstream} format. */
  public boolean supports(WireFormat client, WireFormat upstream) {
    return client == upstream || translators.containsKey(new Pair(client, upstream));
  }
}
