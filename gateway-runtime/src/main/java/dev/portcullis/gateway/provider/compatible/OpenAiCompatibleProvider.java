package dev.portcullis.gateway.provider.compatible;

import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Provider;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.provider.openai.OpenAiProvider;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Any server that speaks OpenAI's API under its own base URL: vLLM, Ollama, Groq, Together,
 * Mistral, DeepSeek, OpenRouter, LM Studio… The base URL is the one their docs give for the OpenAI
 * SDK (it usually ends in {@code /v1}); local servers often need no key, so {@code Authorization}
 * is sent only when the target has a credential.
 */
public final class OpenAiCompatibleProvider implements Provider {
  public static final String ID = "openai-compatible";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public WireFormat format() {
    return WireFormat.OPENAI;
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
    String path = OpenAiProvider.path(operation);
    String base = target.baseUrl();
    if (base == null || base.isBlank()) {
      throw new IllegalArgumentException(
          "target '"
              + target.name()
              + "': openai-compatible needs baseUrl (e.g. http://vllm:8000/v1)");
    }
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", stream ? "text/event-stream" : "application/json");
    if (credential != null && !credential.isEmpty()) {
      headers.put("authorization", "Bearer " + credential.reveal());
    }
    return new UpstreamRequest("POST", URI.create(base + path), headers, body, stream);
  }
}
