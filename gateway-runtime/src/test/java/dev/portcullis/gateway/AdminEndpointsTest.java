package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.testing.SecretScan;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class AdminEndpointsTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static HttpResponse<String> get(Gateway gateway, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void notReadyUntilAConfigurationIsApplied() throws Exception {
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      assertThat(get(gateway, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(gateway, "/readyz").statusCode()).isEqualTo(503);
      gateway.apply(TestSnapshots.builder().build());
      assertThat(get(gateway, "/readyz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void configShowsTheAppliedVersionWithoutSecrets() throws Exception {
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      var snapshot =
          TestSnapshots.builder()
              .route(
                  "team-a",
                  "chat",
                  "gpt-4o",
                  Mode.SINGLE,
                  TestSnapshots.provider("primary", "openai", "gpt-4o", "http://x/v1"))
              .key("team-a", "app", "pc-very-secret-virtual-key")
              .build();
      gateway.apply(snapshot);
      String config = get(gateway, "/config").body();
      assertThat(config).contains(snapshot.version(), "team-a/chat", "vk_app", "\"set\"");
      assertThat(config)
          .doesNotContain("sk-upstream-primary")
          .doesNotContain("pc-very-secret-virtual-key")
          .doesNotContain(snapshot.keys().getFirst().hashes().getFirst().sha256Hex());
    }
  }

  @Test
  void aSnapshotWithAnUnknownProviderIsRejectedAndTheOldOneKeepsServing() throws Exception {
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      var good = TestSnapshots.builder().build();
      gateway.apply(good);
      var bad =
          TestSnapshots.builder()
              .route(
                  "team-a",
                  "chat",
                  "chat",
                  Mode.SINGLE,
                  TestSnapshots.provider("t", "carrier-pigeon", "m", null))
              .build();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway.apply(bad))
          .hasMessageContaining("carrier-pigeon");
      assertThat(gateway.appliedVersion()).isEqualTo(good.version());
      assertThat(get(gateway, "/config").body()).contains("carrier-pigeon");
    }
  }
}
