package dev.portcullis.gateway.provider.openai;

import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Provider;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenAI API: {@code /chat/completions}, {@code /completions}, {@code /embeddings}, with a
 * bearer token.
 *
 * <p>Base URL: as in OpenAI's own SDKs the base includes the version, default {@code
 * https://api.openai.com/v1}, and operation paths are appended to it unchanged (a trailing slash is
 * dropped). Unlike {@code AnthropicProvider} no {@code /v1} is added or removed, because
 * OpenAI-style servers put their API under many different prefixes.
 */
public final class OpenAiProvider implements Provider {
  public static final String ID = "openai";
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public WireFormat format() {
    return WireFormat.OPENAI;
  }

  /** OpenAI serves the Responses API itself: such requests pass through. */
  @Override
  public WireFormat formatFor(WireFormat clientFormat) {
    return clientFormat == WireFormat.OPENAI_RESPONSES ? clientFormat : format();
  }

  @Override
  public boolean supports(Operation operation) {
    return operation != Operation.COUNT_TOKENS;
  }

  /** The path of an operation below an OpenAI-style base URL. */
  public static String path(Operation operation) {
    return switch (operation) {
      case CHAT -> "/chat/completions";
      case COMPLETIONS -> "/completions";
      case EMBEDDINGS -> "/embeddings";
      case RESPONSES -> "/responses";
      case COUNT_TOKENS ->
          throw new IllegalArgumentException("OpenAI has no endpoint for " + operation);
    };
  }

  @Override
  public UpstreamRequest request(
      Operation operation,
      TargetConfig target,
      String upstreamModel,
      boolean stream,
      SecretValue credential,
      byte[] body) {
    String path = path(operation);
    Map<String, String> headers = new LinkedHashMap<>();
    if (credential != null && !credential.isEmpty()) {
      headers.put("authorization", "Bearer " + credential.reveal());
    }
    headers.put("content-type", "application/json");
    boolean streaming = stream && operation != Operation.EMBEDDINGS;
    headers.put("accept", streaming ? "text/event-stream" : "application/json");
    return new UpstreamRequest(
        "POST",
        UpstreamRequest.parseUri(base(target == null ? null : target.baseUrl()) + path),
        headers,
        body,
        streaming);
  }

  static String base(String baseUrl) {
    String base = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip();
    int end = base.length();
    while (end > 0 && base.charAt(end - 1) == '/') {
      end--;
    }
    return base.substring(0, end);
  }
}
