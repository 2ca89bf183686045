package dev.portcullis.gateway.endpoint.openai.responses;

import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.ARRAY;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.BOOLEAN;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.INTEGER;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.NUMBER;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.OBJECT;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING_OR_ARRAY;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING_OR_OBJECT;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gateway.endpoint.ClientFormatFamily;
import dev.portcullis.gateway.endpoint.Endpoint;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.endpoint.RequestSchema;
import dev.portcullis.gateway.pipeline.RequestBody.FieldType;
import dev.portcullis.gateway.provider.Operation;
import java.util.List;
import java.util.Map;

/**
 * OpenAI {@code POST /v1/responses}. Its streams always end with a {@code response.completed} event
 * carrying usage, so the gateway never has to ask for it.
 */
public final class ResponsesEndpoint implements Endpoint {
  /** Per-item framing overhead, as for chat messages. */
  private static final int PER_ITEM = 3;

  private static final Map<String, FieldType> FIELDS =
      Map.ofEntries(
          Map.entry("model", STRING),
          Map.entry("input", STRING_OR_ARRAY),
          Map.entry("instructions", STRING),
          Map.entry("stream", BOOLEAN),
          Map.entry("temperature", NUMBER),
          Map.entry("top_p", NUMBER),
          Map.entry("max_output_tokens", INTEGER),
          Map.entry("tools", ARRAY),
          Map.entry("tool_choice", STRING_OR_OBJECT),
          Map.entry("parallel_tool_calls", BOOLEAN),
          Map.entry("text", OBJECT),
          Map.entry("reasoning", OBJECT),
          Map.entry("previous_response_id", STRING),
          Map.entry("store", BOOLEAN),
          Map.entry("background", BOOLEAN),
          Map.entry("metadata", OBJECT),
          Map.entry("user", STRING),
          Map.entry("include", ARRAY));

  private static final RequestSchema SCHEMA = new RequestSchema(FIELDS, List.of("model"));

  @Override
  public String path() {
    return "/v1/responses";
  }

  @Override
  public ClientFormatFamily family() {
    return ResponsesFamily.INSTANCE;
  }

  @Override
  public Operation operation() {
    return Operation.RESPONSES;
  }

  @Override
  public RequestSchema schema() {
    return SCHEMA;
  }

  /** Instructions, input items (text, function calls and their outputs) and tool definitions. */
  @Override
  public int promptTokens(JsonNode request, LocalTokenCounter tokens) {
    int total = 0;
    JsonNode instructions = request.get("instructions");
    if (instructions != null && instructions.isTextual()) {
      total += PER_ITEM + tokens.count(instructions.asText());
    }
    JsonNode input = request.get("input");
    if (input != null && input.isTextual()) {
      total += PER_ITEM + tokens.count(input.asText());
    } else if (input != null && input.isArray()) {
      for (JsonNode item : input) {
        total += PER_ITEM + itemTokens(item, tokens);
      }
    }
    JsonNode tools = request.get("tools");
    if (tools != null) {
      total += tokens.count(tools.toString());
    }
    return total;
  }

  private static int itemTokens(JsonNode item, LocalTokenCounter tokens) {
    JsonNode content = item.get("content");
    if (content != null && content.isTextual()) {
      return tokens.count(content.asText());
    }
    int total = 0;
    if (content != null && content.isArray()) {
      for (JsonNode part : content) {
        if (part.has("text")) {
          total += tokens.count(part.get("text").asText());
        } else if ("input_image".equals(part.path("type").asText())) {
          total += 765; // OpenAI's cost of one 1024x1024 high-detail image
        }
      }
    }
    for (String field : List.of("arguments", "output", "name")) {
      JsonNode value = item.get(field);
      if (value != null && value.isTextual()) {
        total += tokens.count(value.asText());
      }
    }
    return total;
  }
}
