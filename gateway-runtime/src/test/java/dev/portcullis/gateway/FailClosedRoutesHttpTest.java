package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.gateway.capability.Capabilities;
import dev.portcullis.gateway.testing.Manifests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route whose guardrail policy a gateway cannot enforce fails closed over real HTTP: 503 in the
 * caller's format naming the missing capability, never served unguarded; the other routes serve on.
 * Standalone mode, so the folder is loaded as a developer would run it; the gateway stands for a
 * build without regex checks ({@link GatewaySettings#withCapabilities}).
 */
class FailClosedRoutesHttpTest {
  static final String KEY = "pc-fail-closed-test-key-0123456789";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Gateway gateway;
  ManifestConfigSource source;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(
        dir.resolve("resources.yaml"),
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: GuardrailPolicy
        metadata: {name: pii}
        spec:
          checks:
            - {name: mask, stages: [Input], action: Redact, regex: {pattern: "[0-9]{4}"}}
        ---
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: guarded}
        spec:
          model: guarded
          targets: [{name: echo, provider: echo}]
          guardrails: {input: [{name: pii}]}
        ---
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: plain}
        spec:
          model: plain
          targets: [{name: echo, provider: echo}]
        ---
        """
            + Manifests.appKey(KEY));
    gateway = Gateway.start(GatewaySettings.ephemeral().withCapabilities(withoutRegex()));
    source = ManifestConfigSource.start(dir, gateway);
  }

  /** This build's capabilities but regex checks: a gateway of a build that came before them. */
  static GatewayCapabilities withoutRegex() {
    GatewayCapabilities all = Capabilities.ofThisBuild();
    Set<String> checkTypes = new LinkedHashSet<>(all.guardrailCheckTypes());
    assertThat(checkTypes.remove("regex")).isTrue();
    return new GatewayCapabilities(
        all.version(), all.endpoints(), checkTypes, all.promptTemplates(), all.cacheModes());
  }

  @AfterEach
  void stop() throws Exception {
    if (source != null) {
      source.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .header("authorization", "Bearer " + KEY)
            .header("x-api-key", KEY)
            .header("anthropic-version", "2023-06-01")
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"1234\"}]}";
  }

  @Test
  void anOpenAiCallerGets503CapabilityMissingNamingTheCheckType() throws Exception {
    HttpResponse<String> response = post("/v1/chat/completions", chat("guarded"));

    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("capability_missing");
    assertThat(error.path("message").asText())
        .contains("default/guarded")
        .contains("guardrail/regex");
    assertThat(response.body()).doesNotContain("1234");
  }

  @Test
  void anAnthropicCallerGetsTheRefusalInAnthropicsFormat() throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/messages",
            "{\"model\":\"guarded\",\"max_tokens\":16,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"1234\"}]}");

    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("message").asText()).contains("guardrail/regex");
  }

  @Test
  void theOtherRoutesServeOn() throws Exception {
    assertThat(post("/v1/chat/completions", chat("plain")).statusCode()).isEqualTo(200);
  }
}
