package dev.portcullis.gateway.guardrail;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.ManifestConfigSource;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The set-up the guardrail HTTP tests share: a fake upstream, a gateway on loopback configured from
 * a manifest with one GuardrailPolicy {@code default/policy} on the input and output of every
 * route, one virtual key, and the official OpenAI and Anthropic SDK clients pointed at the gateway.
 */
final class GuardrailGateway implements AutoCloseable {
  final FakeUpstream fake;
  final Gateway gateway;
  final OpenAIClient openai;
  final AnthropicClient anthropic;
  private final ManifestConfigSource source;

  /**
   * @param message the policy's {@code message}
   * @param checks the policy's {@code checks}, a YAML list
   * @param routes each {@code {name, provider, upstream model}}: the route's model is its name, the
   *     upstream model may carry the fake's options ({@code m;text=...})
   */
  GuardrailGateway(Path dir, String key, String message, String checks, String[]... routes)
      throws Exception {
    fake = FakeUpstream.start(0);
    StringBuilder resources = new StringBuilder();
    resources.append(
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: GuardrailPolicy
        metadata: {name: policy}
        spec:
          message: "%s"
          checks:
        %s---
        """
            .formatted(message, checks.indent(4)));
    for (String[] r : routes) {
      String baseUrl = r[1].equals("anthropic") ? fake.baseUrl() : fake.baseUrl() + "/v1";
      resources.append(route(r[0], r[1], r[2], baseUrl));
    }
    resources.append(Manifests.appKey(key));
    Files.writeString(dir.resolve("resources.yaml"), resources);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    source = ManifestConfigSource.start(dir, gateway);
    openai =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
            .apiKey(key)
            .maxRetries(0)
            .build();
    anthropic =
        AnthropicOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gateway.port())
            .apiKey(key)
            .maxRetries(0)
            .build();
  }

  private static String route(String name, String provider, String model, String baseUrl) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: %s}
        spec:
          model: %s
          targets:
            - name: fake
              provider: %s
              baseUrl: %s
              model: "%s"
              credentials: {secretRef: {name: app-key, key: apiKey}}
          guardrails: {input: [{name: policy}], output: [{name: policy}]}
        ---
        """
        .formatted(name, name, provider, baseUrl, model);
  }

  @Override
  public void close() throws Exception {
    source.close();
    gateway.close();
    fake.close();
  }
}
