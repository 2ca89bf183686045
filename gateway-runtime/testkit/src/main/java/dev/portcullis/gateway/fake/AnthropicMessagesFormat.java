package dev.portcullis.gateway.fake;

import static dev.portcullis.gateway.fake.OpenAiChatFormat.utf8;

import com.fasterxml.jackson.databind.JsonNode;

/** Anthropic {@code POST /v1/messages}: a message body, or the named-event stream. */
final class AnthropicMessagesFormat implements ChatFormat {

  @Override
  public Protocol protocol() {
    return Protocol.ANTHROPIC;
  }

  @Override
  public String idPrefix() {
    return "msg_";
  }

  @Override
  public String toolIdPrefix() {
    return "toolu_";
  }

  @Override
  public RequestFacts read(JsonNode body, String pathModel, boolean streamEndpoint) {
    JsonNode model = body.get("model");
    return new RequestFacts(
        model != null && model.isTextual() ? model.textValue() : pathModel,
        body.path("stream").asBoolean(false),
        false,
        inputTokens(body),
        RequestFacts.lastUserText(body.get("messages"), "content"),
        RequestFacts.intOrNull(body.get("max_tokens")),
        forcedTool(body));
  }

  /** What {@code /v1/messages/count_tokens} reports, and {@code usage.input_tokens}. */
  static int inputTokens(JsonNode body) {
    return RequestFacts.estimateTokens(body.get("messages"))
        + (body.has("system") ? RequestFacts.estimateTokens(body.get("system")) : 0)
        + (body.has("tools") ? RequestFacts.estimateTokens(body.get("tools")) : 0);
  }

  /** {@code tool_choice: {type: any}} calls the first tool, {@code {type: tool}} the named one. */
  private static RequestFacts.ForcedTool forcedTool(JsonNode body) {
    JsonNode tools = body.get("tools");
    if (tools == null || !tools.isArray() || tools.isEmpty()) {
      return null;
    }
    JsonNode choice = body.path("tool_choice");
    String type = choice.path("type").asText("auto");
    if ("any".equals(type)) {
      return tool(tools.get(0));
    }
    if ("tool".equals(type)) {
      String name = choice.path("name").asText();
      for (JsonNode tool : tools) {
        if (name.equals(tool.path("name").asText())) {
          return tool(tool);
        }
      }
      return new RequestFacts.ForcedTool(name, null);
    }
    return null;
  }

  private static RequestFacts.ForcedTool tool(JsonNode tool) {
    return new RequestFacts.ForcedTool(tool.path("name").asText("tool"), tool.get("input_schema"));
  }

  private static String stopReason(Reply reply) {
    return switch (reply.finish()) {
      case STOP -> "end_turn";
      case LENGTH -> "max_tokens";
      case TOOL_CALL -> "tool_use";
    };
  }

  private static String usage(Reply reply, int outputTokens) {
    return "{\"input_tokens\":"
        + reply.promptTokens()
        + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0"
        + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0}"
        + ",\"output_tokens\":"
        + outputTokens
        + ",\"server_tool_use\":null,\"service_tier\":\"standard\"}";
  }

  private static String message(Reply reply, String content, String stopReason, int outputTokens) {
    return "{\"id\":\""
        + reply.id()
        + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
        + JsonText.quoted(reply.model())
        + ",\"content\":"
        + content
        + ",\"stop_reason\":"
        + stopReason
        + ",\"stop_sequence\":null,\"usage\":"
        + usage(reply, outputTokens)
        + "}";
  }

  @Override
  public byte[] body(Reply reply) {
    Reply.ToolCall call = reply.toolCall();
    String content =
        call == null
            ? "[{\"type\":\"text\",\"text\":" + JsonText.quoted(reply.text()) + "}]"
            : "[{\"type\":\"tool_use\",\"id\":\""
                + call.id()
                + "\",\"name\":"
                + JsonText.quoted(call.name())
                + ",\"input\":"
                + call.arguments()
                + "}]";
    return utf8(message(reply, content, "\"" + stopReason(reply) + "\"", reply.completionTokens()));
  }

  private static String event(String type, String data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
  }

  @Override
  public StreamEvents stream(Reply reply) {
    Reply.ToolCall call = reply.toolCall();
    String deltaHead =
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + (call == null
                ? "\"delta\":{\"type\":\"text_delta\",\"text\":"
                : "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":");
    return new StreamEvents() {
      @Override
      public byte[] begin() {
        String block =
            call == null
                ? "{\"type\":\"text\",\"text\":\"\"}"
                : "{\"type\":\"tool_use\",\"id\":\""
                    + call.id()
                    + "\",\"name\":"
                    + JsonText.quoted(call.name())
                    + ",\"input\":{}}";
        return utf8(
            event(
                    "message_start",
                    "{\"type\":\"message_start\",\"message\":"
                        + message(reply, "[]", "null", 1)
                        + "}")
                + event(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                        + block
                        + "}")
                + event("ping", "{\"type\":\"ping\"}"));
      }

      @Override
      public byte[] piece(int index) {
        return utf8(deltaHead + JsonText.quoted(reply.pieces().get(index)) + "}}\n\n");
      }

      @Override
      public byte[] end() {
        return utf8(
            event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event(
                    "message_delta",
                    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
                        + stopReason(reply)
                        + "\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":"
                        + reply.promptTokens()
                        + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0"
                        + ",\"output_tokens\":"
                        + reply.completionTokens()
                        + ",\"server_tool_use\":null}}")
                + event("message_stop", "{\"type\":\"message_stop\"}"));
      }
    };
  }
}
