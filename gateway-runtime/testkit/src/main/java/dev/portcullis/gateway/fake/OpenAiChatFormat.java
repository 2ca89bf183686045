package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/** OpenAI {@code POST /v1/chat/completions} (and Azure's deployment path): bodies and chunks. */
final class OpenAiChatFormat implements ChatFormat {
  private static final String DONE = "data: [DONE]\n\n";

  @Override
  public Protocol protocol() {
    return Protocol.OPENAI;
  }

  @Override
  public String idPrefix() {
    return "chatcmpl-";
  }

  @Override
  public String toolIdPrefix() {
    return "call_";
  }

  @Override
  public RequestFacts read(JsonNode body, String pathModel, boolean streamEndpoint) {
    JsonNode model = body.get("model");
    Integer maxTokens = RequestFacts.intOrNull(body.get("max_completion_tokens"));
    if (maxTokens == null) {
      maxTokens = RequestFacts.intOrNull(body.get("max_tokens"));
    }
    return new RequestFacts(
        model != null && model.isTextual() ? model.textValue() : pathModel,
        body.path("stream").asBoolean(false),
        body.path("stream_options").path("include_usage").asBoolean(false),
        RequestFacts.estimateTokens(body.get("messages")),
        RequestFacts.lastUserText(body.get("messages"), "content"),
        maxTokens,
        forcedTool(body));
  }

  /** {@code tool_choice: "required"} calls the first tool; a named function calls that one. */
  static RequestFacts.ForcedTool forcedTool(JsonNode body) {
    JsonNode tools = body.get("tools");
    if (tools == null || !tools.isArray() || tools.isEmpty()) {
      return null;
    }
    JsonNode choice = body.get("tool_choice");
    if (choice == null) {
      return null;
    }
    if (choice.isTextual()) {
      return "required".equals(choice.textValue()) ? tool(tools.get(0)) : null;
    }
    String name = choice.path("function").path("name").asText(null);
    if (name == null) {
      return null;
    }
    for (JsonNode tool : tools) {
      if (name.equals(tool.path("function").path("name").asText())) {
        return tool(tool);
      }
    }
    return new RequestFacts.ForcedTool(name, null);
  }

  private static RequestFacts.ForcedTool tool(JsonNode tool) {
    JsonNode function = tool.path("function");
    return new RequestFacts.ForcedTool(
        function.path("name").asText("tool"), function.get("parameters"));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String finishReason(Reply reply) {
    return switch (reply.finish()) {
      case STOP -> "stop";
      case LENGTH -> "length";
      case TOOL_CALL -> "tool_calls";
    };
  }

  /** OpenAI usage, with the detail objects current SDKs expect (cached tokens always 0). */
  static String usage(Reply reply) {
    int prompt = reply.promptTokens();
    int completion = reply.completionTokens();
    return "{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0}"
        + ",\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
  }

  @Override
  public byte[] body(Reply reply) {
    StringBuilder json = new StringBuilder(512);
    json.append("{\"id\":\"")
        .append(reply.id())
        .append("\",\"object\":\"chat.completion\",\"created\":")
        .append(reply.created())
        .append(",\"model\":")
        .append(JsonText.quoted(reply.model()))
        .append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
    Reply.ToolCall call = reply.toolCall();
    if (call == null) {
      json.append(JsonText.quoted(reply.text()));
    } else {
      json.append("null,\"tool_calls\":[{\"id\":\"")
          .append(call.id())
          .append("\",\"type\":\"function\",\"function\":{\"name\":")
          .append(JsonText.quoted(call.name()))
          .append(",\"arguments\":")
          .append(JsonText.quoted(call.arguments()))
          .append("}}]");
    }
    json.append(",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"")
        .append(finishReason(reply))
        .append("\"}],\"usage\":")
        .append(usage(reply))
        .append(",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_fake\"}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public StreamEvents stream(Reply reply) {
    // Everything up to the choices array is the same in every chunk: build it once.
    String head =
        "data: {\"id\":\""
            + reply.id()
            + "\",\"object\":\"chat.completion.chunk\",\"created\":"
            + reply.created()
            + ",\"model\":"
            + JsonText.quoted(reply.model())
            + ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_fake\",\"choices\":[";
    String tail = reply.includeUsage() ? "],\"usage\":null}\n\n" : "]}\n\n";
    Reply.ToolCall call = reply.toolCall();
    return new StreamEvents() {
      @Override
      public byte[] begin() {
        String delta =
            call == null
                ? "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}"
                : "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\""
                    + call.id()
                    + "\",\"type\":\"function\",\"function\":{\"name\":"
                    + JsonText.quoted(call.name())
                    + ",\"arguments\":\"\"}}],\"refusal\":null}";
        return utf8(chunk(delta, "null"));
      }

      @Override
      public byte[] piece(int index) {
        String piece = JsonText.quoted(reply.pieces().get(index));
        String delta =
            call == null
                ? "{\"content\":" + piece + "}"
                : "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + piece + "}}]}";
        return utf8(chunk(delta, "null"));
      }

      @Override
      public byte[] end() {
        String last = chunk("{}", "\"" + finishReason(reply) + "\"");
        if (reply.includeUsage()) {
          // The usage chunk has no choices, as OpenAI sends it.
          last += head + "],\"usage\":" + usage(reply) + "}\n\n";
        }
        return utf8(last + DONE);
      }

      private String chunk(String delta, String finishReason) {
        return head
            + "{\"index\":0,\"delta\":"
            + delta
            + ",\"logprobs\":null,\"finish_reason\":"
            + finishReason
            + "}"
            + tail;
      }
    };
  }
}
