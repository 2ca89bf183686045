package dev.portcullis.gateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Provider;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Google's Gemini API (AI Studio). The model is part of the URL ({@code
 * models/{model}:generateContent}); the API key goes in {@code x-goog-api-key} rather than the URL
 * so it never shows up in access logs.
 */
public final class GeminiProvider implements Provider {
  public static final String ID = "gemini";
  public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

  private static final ObjectMapper MAPPER = Jackson.MAPPER;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public WireFormat format() {
    return WireFormat.GEMINI;
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
    if (upstreamModel == null || upstreamModel.isBlank()) {
      throw new IllegalArgumentException(
          "target '" + target.name() + "': Gemini needs a model name for the request URL");
    }
    String model = upstreamModel.startsWith("models/") ? upstreamModel.substring(7) : upstreamModel;
    String base = baseUrl(target);
    String modelPath = base + "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8);
    byte[] upstreamBody = body;
    String uri;
    switch (operation) {
      case CHAT, COMPLETIONS ->
          uri = modelPath + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
      case EMBEDDINGS -> {
        ObjectNode parsed = parse(body);
        if (parsed.has("requests")) {
          // Each batch entry names its model and must match the URL's.
          parsed.get("requests").forEach(r -> ((ObjectNode) r).put("model", "models/" + model));
          upstreamBody = parsed.toString().getBytes(StandardCharsets.UTF_8);
          uri = modelPath + ":batchEmbedContents";
        } else {
          uri = modelPath + ":embedContent";
        }
      }
      default -> throw new IllegalArgumentException("Gemini targets do not serve " + operation);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", stream ? "text/event-stream" : "application/json");
    if (credential != null && !credential.isEmpty()) {
      headers.put("x-goog-api-key", credential.reveal());
    }
    return new UpstreamRequest(
        "POST", UpstreamRequest.parseUri(uri), headers, upstreamBody, stream);
  }

  private static String baseUrl(TargetConfig target) {
    String base = target.baseUrl() == null ? DEFAULT_BASE_URL : target.baseUrl();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base;
  }

  private static ObjectNode parse(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw new IllegalArgumentException("Gemini embedding request body must be a JSON object");
    } catch (IOException e) {
      throw new UncheckedIOException("Gemini embedding request body is not JSON", e);
    }
  }
}
