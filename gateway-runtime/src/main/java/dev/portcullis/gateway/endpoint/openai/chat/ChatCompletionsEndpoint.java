package dev.portcullis.gateway.endpoint.openai.chat;

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

/** OpenAI {@code POST /v1/chat/completions}. */
public final class ChatCompletionsEndpoint implements Endpoint {
  /** Per-message framing overhead, as OpenAI documents for chat models. */
  private static final int PER_MESSAGE = 3;

  private static final RequestSchema SCHEMA =
      new RequestSchema(OpenAiFamily.COMMON_FIELDS, List.of("model", "messages"));

  @Override
  public String path() {
    return "/v1/chat/completions";
  }

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

  /** Messages (text parts, tool calls) and tool definitions. */
  @Override
  public int promptTokens(JsonNode request, LocalTokenCounter tokens) {
    int total = 0;
    JsonNode messages = request.get("messages");
    if (messages != null) {
      for (JsonNode m : messages) {
        total += PER_MESSAGE + contentTokens(m.get("content"), tokens);
        JsonNode calls = m.get("tool_calls");
        if (calls != null) {
          total += tokens.count(calls.toString());
        }
      }
    }
    JsonNode tools = request.get("tools");
    if (tools != null) {
      total += tokens.count(tools.toString());
    }
    return total;
  }

  private static int contentTokens(JsonNode content, LocalTokenCounter tokens) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return tokens.count(content.asText());
    }
    int total = 0;
    for (JsonNode part : content) {
      if (part.has("text")) {
        total += tokens.count(part.get("text").asText());
      } else if ("image_url".equals(part.path("type").asText())) {
        total += 765; // OpenAI's cost of one 1024x1024 high-detail image
      }
    }
    return total;
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
