package dev.portcullis.gateway.endpoint.openai.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gateway.endpoint.ClientFormatFamily;
import dev.portcullis.gateway.endpoint.Endpoint;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.endpoint.RequestSchema;
import dev.portcullis.gateway.endpoint.openai.OpenAiFamily;
import dev.portcullis.gateway.pipeline.RequestBody;
import dev.portcullis.gateway.provider.Operation;
import java.util.List;

/** OpenAI {@code POST /v1/embeddings}: never streamed, no output tokens. */
public final class EmbeddingsEndpoint implements Endpoint {
  private static final RequestSchema SCHEMA =
      new RequestSchema(OpenAiFamily.COMMON_FIELDS, List.of("model", "input"));

  @Override
  public String path() {
    return "/v1/embeddings";
  }

  @Override
  public ClientFormatFamily family() {
    return OpenAiFamily.INSTANCE;
  }

  @Override
  public Operation operation() {
    return Operation.EMBEDDINGS;
  }

  @Override
  public RequestSchema schema() {
    return SCHEMA;
  }

  @Override
  public int promptTokens(JsonNode request, LocalTokenCounter tokens) {
    return OpenAiFamily.inputTokens(request.get("input"), tokens);
  }

  @Override
  public boolean dropsUsageEvents(RequestBody body) {
    return !body.includeUsage();
  }
}
