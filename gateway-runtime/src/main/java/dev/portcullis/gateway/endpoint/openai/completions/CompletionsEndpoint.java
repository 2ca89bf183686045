package dev.portcullis.gateway.endpoint.openai.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.ClientFormatFamily;
import dev.portcullis.gateway.endpoint.Endpoint;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.endpoint.RequestSchema;
import dev.portcullis.gateway.endpoint.openai.OpenAiFamily;
import dev.portcullis.gateway.pipeline.RequestBody;
import dev.portcullis.gateway.provider.Operation;
import java.util.List;

/** OpenAI legacy {@code POST /v1/completions}. */
public final class CompletionsEndpoint implements Endpoint {
  private static final RequestSchema SCHEMA =
      new RequestSchema(OpenAiFamily.COMMON_FIELDS, List.of("model", "prompt"));

  @Override
  public String path() {
    return "/v1/completions";
  }

  @Override
  public ClientFormatFamily family() {
    return OpenAiFamily.INSTANCE;
  }

  @Override
  public Operation operation() {
    return Operation.COMPLETIONS;
  }

  @Override
  public RequestSchema schema() {
    return SCHEMA;
  }

  @Override
  public int promptTokens(JsonNode request, LocalTokenCounter tokens) {
    return OpenAiFamily.inputTokens(request.get("prompt"), tokens);
  }

  @Override
  public boolean asksStreamUsage(RequestBody body) {
    return body.stream() && !body.includeUsage();
  }

  @Override
  public void askStreamUsage(ObjectNode request) {
    OpenAiFamily.askStreamUsage(request);
  }

  @Override
  public boolean dropsUsageEvents(RequestBody body) {
    return !body.includeUsage();
  }
}
