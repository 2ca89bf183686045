package dev.portcullis.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.gateway.provider.echo.EchoProvider;
import dev.portcullis.gateway.provider.gemini.GeminiProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {
  @Test
  void builtInProvidersAreFoundByTheirRouteIds() {
    ProviderRegistry registry = ProviderRegistry.builtIn();

    assertThat(registry.ids()).contains("azure-openai", "gemini", "openai-compatible", "echo");
    registry.ids().forEach(id -> assertThat(registry.get(id).id()).isEqualTo(id));
  }

  @Test
  void anUnknownIdIsAnErrorListingTheKnownOnes() {
    ProviderRegistry registry = new ProviderRegistry(List.of(new EchoProvider()));

    assertThat(registry.find("bedrock")).isEmpty();
    assertThatThrownBy(() -> registry.get("bedrock"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bedrock'")
        .hasMessageContaining("echo");
  }

  @Test
  void twoProvidersWithOneIdAreRefused() {
    assertThatThrownBy(
            () -> new ProviderRegistry(List.of(new GeminiProvider(), new GeminiProvider())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'gemini'");
  }
}
