package dev.portcullis.gateway.provider.anthropic;

import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Provider;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Anthropic Messages API ({@code POST /v1/messages}, {@code POST /v1/messages/count_tokens}).
 *
 * <p>Base URL: the default is {@code https://api.anthropic.com}, the host root, as in Anthropic's
 * own SDKs; the {@code /v1/...} path is appended. A target's {@code baseUrl} may be given either
 * way, {@code https://proxy.example/anthropic} or {@code https://proxy.example/anthropic/v1}: a
 * trailing {@code /v1} (and any trailing slash) is recognised and not doubled.
 */
public final class AnthropicProvider implements Provider {
  public static final String ID = "anthropic";
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
  public static final String API_VERSION = "2023-06-01";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public WireFormat format() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  public boolean supports(Operation operation) {
    return operation == Operation.CHAT || operation == Operation.COUNT_TOKENS;
  }

  @Override
  public UpstreamRequest request(
      Operation operation,
      TargetConfig target,
      String upstreamModel,
      boolean stream,
      SecretValue credential,
      byte[] body) {
    String path =
        switch (operation) {
          case CHAT -> "/v1/messages";
          case COUNT_TOKENS -> "/v1/messages/count_tokens";
          default ->
              throw new IllegalArgumentException("Anthropic has no endpoint for " + operation);
        };
    Map<String, String> headers = new LinkedHashMap<>();
    if (credential != null && !credential.isEmpty()) {
      headers.put("x-api-key", credential.reveal());
    }
    headers.put("anthropic-version", API_VERSION);
    headers.put("content-type", "application/json");
    boolean streaming = stream && operation == Operation.CHAT;
    headers.put("accept", streaming ? "text/event-stream" : "application/json");
    return new UpstreamRequest(
        "POST",
        UpstreamRequest.parseUri(root(target == null ? null : target.baseUrl()) + path),
        headers,
        body,
        streaming);
  }

  /** The base URL without trailing slashes or a trailing {@code /v1}. */
  static String root(String baseUrl) {
    String base = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip();
    base = stripTrailingSlashes(base);
    if (base.endsWith("/v1")) {
      base = stripTrailingSlashes(base.substring(0, base.length() - 3));
    }
    return base;
  }

  private static String stripTrailingSlashes(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }
}
