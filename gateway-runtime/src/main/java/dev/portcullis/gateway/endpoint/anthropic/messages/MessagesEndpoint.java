package dev.portcullis.gateway.endpoint.anthropic.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gateway.endpoint.ClientFormatFamily;
import dev.portcullis.gateway.endpoint.Endpoint;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.endpoint.RequestSchema;
import dev.portcullis.gateway.endpoint.anthropic.AnthropicFamily;
import dev.portcullis.gateway.provider.Operation;
import java.util.List;

/**
 * Anthropic {@code POST /v1/messages}. Anthropic streams always report usage, so nothing is asked
 * for and nothing dropped.
 */
public final class MessagesEndpoint implements Endpoint {
  private static final RequestSchema SCHEMA =
      new RequestSchema(AnthropicFamily.FIELDS, List.of("model", "messages", "max_tokens"));

  @Override
  public String path() {
    return "/v1/messages";
  }

  @Override
  public ClientFormatFamily family() {
    return AnthropicFamily.INSTANCE;
  }

  @Override
  public Operation operation() {
    return Operation.CHAT;
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
