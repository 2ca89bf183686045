package dev.portcullis.gateway.endpoint.openai.prompts;

import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.OBJECT;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.ClientFormatFamily;
import dev.portcullis.gateway.endpoint.Endpoint;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.endpoint.RequestSchema;
import dev.portcullis.gateway.endpoint.openai.OpenAiFamily;
import dev.portcullis.gateway.endpoint.openai.chat.ChatCompletionsEndpoint;
import dev.portcullis.gateway.pipeline.RequestBody;
import dev.portcullis.gateway.pipeline.RequestBody.FieldType;
import dev.portcullis.gateway.provider.Operation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the two prompt endpoints share: OpenAI's format, a body of {@code variables}, {@code
 * version} and chat parameters (no field required: the template supplies model and messages), and,
 * once rendered, the request facts of {@code /v1/chat/completions}, whose request the rendering is.
 */
abstract sealed class PromptEndpoint implements Endpoint
    permits PromptCompletionsEndpoint, PromptRenderEndpoint {
  private static final RequestSchema SCHEMA;

  static {
    Map<String, FieldType> types = new HashMap<>(OpenAiFamily.COMMON_FIELDS);
    types.put("variables", OBJECT);
    types.put("version", STRING);
    SCHEMA = new RequestSchema(types, List.of());
  }

  /** The endpoint the rendered request is a request of. */
  private final ChatCompletionsEndpoint chat = new ChatCompletionsEndpoint();

  @Override
  public ClientFormatFamily family() {
    return OpenAiFamily.INSTANCE;
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
  public boolean namesPromptTemplate() {
    return true;
  }

  @Override
  public int promptTokens(JsonNode request, LocalTokenCounter tokens) {
    return chat.promptTokens(request, tokens);
  }

  @Override
  public boolean asksStreamUsage(RequestBody body) {
    return chat.asksStreamUsage(body);
  }

  @Override
  public void askStreamUsage(ObjectNode request) {
    chat.askStreamUsage(request);
  }

  @Override
  public boolean dropsUsageEvents(RequestBody body) {
    return chat.dropsUsageEvents(body);
  }
}
