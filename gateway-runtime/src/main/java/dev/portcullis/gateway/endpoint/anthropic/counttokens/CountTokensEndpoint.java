package dev.portcullis.gateway.endpoint.anthropic.counttokens;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gateway.endpoint.ClientFormatFamily;
import dev.portcullis.gateway.endpoint.Endpoint;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.endpoint.RequestSchema;
import dev.portcullis.gateway.endpoint.anthropic.AnthropicFamily;
import dev.portcullis.gateway.provider.Operation;
import java.util.List;

/**
 * Anthropic {@code POST /v1/messages/count_tokens}: a messages request without {@code max_tokens}.
 * Forwarded when the target's provider has a count endpoint, else answered with {@link
 * #promptTokens} by the pipeline.
 */
public final class CountTokensEndpoint implements Endpoint {
  private static final RequestSchema SCHEMA =
      new RequestSchema(AnthropicFamily.FIELDS, List.of("model", "messages"));

  @Override
  public String path() {
    return "/v1/messages/count_tokens";
  }

  @Override
  public ClientFormatFamily family() {
    return AnthropicFamily.INSTANCE;
  }

  @Override
  public Operation operation() {
    return Operation.COUNT_TOKENS;
  }

  @Override
  public RequestSchema schema() {
    return SCHEMA;
  }

  @Override
  public int promptTokens(JsonNode request, LocalTokenCounter tokens) {
    return AnthropicFamily.promptTokens(request, tokens);
  }
}
