package dev.portcullis.gateway.provider;

import dev.portcullis.gateway.provider.anthropic.AnthropicProvider;
import dev.portcullis.gateway.provider.azure.AzureOpenAiProvider;
import dev.portcullis.gateway.provider.compatible.OpenAiCompatibleProvider;
import dev.portcullis.gateway.provider.echo.EchoProvider;
import dev.portcullis.gateway.provider.gemini.GeminiProvider;
import dev.portcullis.gateway.provider.openai.OpenAiProvider;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** Providers by the id routes name them with ({@code spec.targets[].provider}). */
public final class ProviderRegistry {
  private final Map<String, Provider> providers;

  /** Every built-in provider. Adding a provider: its package plus one line here. */
  public static ProviderRegistry builtIn() {
    return new ProviderRegistry(
        List.of(
            new OpenAiProvider(),
            new AnthropicProvider(),
            new AzureOpenAiProvider(),
            new GeminiProvider(),
            new OpenAiCompatibleProvider(),
            new EchoProvider()));
  }

  public ProviderRegistry(Collection<? extends Provider> providers) {
    Map<String, Provider> byId = new LinkedHashMap<>();
    for (Provider provider : providers) {
      Provider previous = byId.putIfAbsent(provider.id(), provider);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two providers claim the id '"
                + provider.id()
                + "': "
                + previous.getClass().getName()
                + " and "
                + provider.getClass().getName());
      }
    }
    this.providers = Map.copyOf(byId);
  }

  public Optional<Provider> find(String id) {
    return Optional.ofNullable(id == null ? null : providers.get(id));
  }

  /**
   * The provider with this id.
   *
   * @throws IllegalArgumentException naming the known ids when there is none
   */
  public Provider get(String id) {
    return find(id)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown provider '" + id + "'; known providers: " + String.join(", ", ids())));
  }

  /** The registered ids, sorted. */
  public SortedSet<String> ids() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(providers.keySet()));
  }
}
