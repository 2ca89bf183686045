package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.gateway.testing.Manifests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standalone mode: a folder of manifests, watched; good changes apply, bad ones are refused. */
class StandaloneModeTest {
  static final String KEY = "pc-standalone-test-key-0123456789";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  Gateway gateway;
  ManifestConfigSource source;

  static String route(String name, String model, String timeout) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: %s}
        spec:
          model: %s
          timeout: %s
          targets:
            - name: echo
              provider: echo
        """
        .formatted(name, model, timeout);
  }

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("routes.yaml"), route("chat", "chat", "30s"));
    Files.writeString(dir.resolve("key.yaml"), Manifests.appKey(KEY));
    gateway = Gateway.start(GatewaySettings.ephemeral());
    source = ManifestConfigSource.start(dir, gateway);
  }

  @AfterEach
  void stop() throws Exception {
    source.close();
    gateway.close();
  }

  int status(String model) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + KEY)
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\""
                            + model
                            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  String cacheHeader(String key, String model, String question) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + key)
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\""
                            + model
                            + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                            + question
                            + "\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.headers().firstValue("x-portcullis-cache").orElse(null);
  }

  @Test
  void aCacheScopeFromTheManifestsDecidesWhetherKeysShare() throws Exception {
    String other = "pc-standalone-other-key-0123456789";
    String cached =
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: cached}
        spec:
          model: cached
          targets: [{name: echo, provider: echo}]
          cache: {mode: Exact, ttl: 10m, scope: Key}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: other-key}
        stringData: {apiKey: %s}
        ---
        apiVersion: portcullis.dev/v1alpha1
        kind: VirtualKey
        metadata: {name: other}
        spec: {secretName: other-key}
        """
            .formatted(other);
    Files.writeString(dir.resolve("cached.yaml"), cached);
    await().atMost(Duration.ofSeconds(10)).until(() -> status("cached") == 200);
    assertThat(cacheHeader(KEY, "cached", "scope key")).isEqualTo("MISS");
    assertThat(cacheHeader(KEY, "cached", "scope key")).isEqualTo("HIT");
    assertThat(cacheHeader(other, "cached", "scope key"))
        .as("scope Key: another key of the namespace has its own entries")
        .isEqualTo("MISS");

    Files.writeString(dir.resolve("cached.yaml"), cached.replace(", scope: Key", ""));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                gateway.appliedSnapshot().routes().stream()
                    .filter(r -> r.id().name().equals("cached"))
                    .allMatch(
                        r ->
                            r.cache().scope()
                                == dev.portcullis.api.snapshot.RouteConfig.CacheConfig.CacheScope
                                    .NAMESPACE));
    assertThat(cacheHeader(KEY, "cached", "scope namespace")).isEqualTo("MISS");
    assertThat(cacheHeader(other, "cached", "scope namespace"))
        .as("the default scope: the keys of a namespace share")
        .isEqualTo("HIT");
  }

  @Test
  void servesTheFolderAtStart() throws Exception {
    assertThat(gateway.appliedVersion()).startsWith("sha256:");
    assertThat(status("chat")).isEqualTo(200);
  }

  @Test
  void aValidChangeIsAppliedWhileRunning() throws Exception {
    assertThat(status("chat-2")).isEqualTo(404);
    Files.writeString(dir.resolve("more.yaml"), route("chat-2", "chat-2", "10s"));
    await().atMost(Duration.ofSeconds(10)).until(() -> status("chat-2") == 200);
    assertThat(status("chat")).isEqualTo(200);
  }

  @Test
  void anInvalidChangeKeepsTheRunningConfiguration() throws Exception {
    Files.writeString(dir.resolve("more.yaml"), route("chat-2", "chat-2", "10s"));
    await().atMost(Duration.ofSeconds(10)).until(() -> status("chat-2") == 200);
    String good = gateway.appliedVersion();

    Files.writeString(dir.resolve("more.yaml"), route("chat-2", "chat-2", "ten seconds"));
    Files.writeString(dir.resolve("routes.yaml"), route("chat", "chat-renamed", "30s"));
    // Give the watcher time to see both writes and refuse them.
    Thread.sleep(1500);

    assertThat(gateway.appliedVersion()).isEqualTo(good);
    assertThat(status("chat-2")).isEqualTo(200);
    assertThat(status("chat")).isEqualTo(200);
    assertThat(status("chat-renamed")).isEqualTo(404);
  }

  @Test
  void removingTheKeyRevokesIt() throws Exception {
    Files.delete(dir.resolve("key.yaml"));
    await().atMost(Duration.ofSeconds(10)).until(() -> status("chat") == 401);
  }
}
