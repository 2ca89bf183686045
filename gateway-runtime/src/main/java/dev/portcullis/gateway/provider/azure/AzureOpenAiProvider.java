package dev.portcullis.gateway.provider.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Provider;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.provider.openai.OpenAiProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Azure OpenAI Service: OpenAI's wire format behind per-deployment URLs ({@code
 * {resource}/openai/deployments/{deployment}/chat/completions?api-version=…}) and an {@code
 * api-key} header. Azure picks the model by deployment and ignores the body's {@code model}, so
 * bodies pass through unchanged.
 */
public final class AzureOpenAiProvider implements Provider {
  public static final String ID = "azure-openai";

  /** The latest GA data-plane version when this was written; override per target. */
  public static final String DEFAULT_API_VERSION = "2024-10-21";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public WireFormat format() {
    return WireFormat.OPENAI;
  }

  /** Azure OpenAI serves the Responses API itself (v1 and recent preview API versions). */
  @Override
  public WireFormat formatFor(WireFormat clientFormat) {
    return clientFormat == WireFormat.OPENAI_RESPONSES ? clientFormat : format();
  }

  @Override
  public boolean supports(Operation operation) {
    return operation != Operation.COUNT_TOKENS;
  }

  @Override
  public UpstreamRequest request(
      Operation operation,
      TargetConfig target,
      String upstreamModel,
      boolean stream,
      SecretValue credential,
      byte[] body) {
    // Only the base differs from OpenAI; supports() keeps COUNT_TOKENS away.
    String path = OpenAiProvider.path(operation).substring(1);
    TargetConfig.Azure azure = target.azure();
    String deployment =
        azure != null && azure.deployment() != null ? azure.deployment() : upstreamModel;
    if (deployment == null || deployment.isBlank()) {
      throw new IllegalArgumentException(
          "target '" + target.name() + "': Azure OpenAI needs azure.deployment or a model");
    }
    if (operation == Operation.RESPONSES) {
      return responses(target, deployment, stream, credential, body);
    }
    String apiVersion =
        azure != null && azure.apiVersion() != null ? azure.apiVersion() : DEFAULT_API_VERSION;
    URI uri =
        UpstreamRequest.parseUri(
            resourceUrl(target)
                + "/openai/deployments/"
                + URLEncoder.encode(deployment, StandardCharsets.UTF_8)
                + "/"
                + path
                + "?api-version="
                + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", stream ? "text/event-stream" : "application/json");
    if (credential != null && !credential.isEmpty()) {
      headers.put("api-key", credential.reveal());
    }
    return new UpstreamRequest("POST", uri, headers, body, stream);
  }

  /**
   * Azure serves the Responses API on its v1 path, not per deployment: {@code
   * {resource}/openai/v1/responses}, with the deployment named as the body's {@code model}.
   */
  private static UpstreamRequest responses(
      TargetConfig target, String deployment, boolean stream, SecretValue credential, byte[] body) {
    byte[] named = body;
    try {
      ObjectNode tree = (ObjectNode) Jackson.MAPPER.readTree(body);
      if (!deployment.equals(tree.path("model").asText(null))) {
        tree.put("model", deployment);
        named = Jackson.MAPPER.writeValueAsBytes(tree);
      }
    } catch (IOException | ClassCastException e) {
      throw new IllegalArgumentException("the request body is not a JSON object", e);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", stream ? "text/event-stream" : "application/json");
    if (credential != null && !credential.isEmpty()) {
      headers.put("api-key", credential.reveal());
    }
    return new UpstreamRequest(
        "POST",
        UpstreamRequest.parseUri(resourceUrl(target) + "/openai/v1/responses"),
        headers,
        named,
        stream);
  }

  /**
   * The resource endpoint ({@code https://NAME.openai.azure.com}); a base URL copied from the
   * portal with a trailing {@code /openai} is accepted too.
   */
  private static String resourceUrl(TargetConfig target) {
    String base = target.baseUrl();
    if (base == null || base.isBlank()) {
      throw new IllegalArgumentException(
          "target '"
              + target.name()
              + "': Azure OpenAI needs baseUrl, the resource endpoint"
              + " (https://<resource>.openai.azure.com)");
    }
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (base.endsWith("/openai")) {
      base = base.substring(0, base.length() - "/openai".length());
    }
    return base;
  }
}
