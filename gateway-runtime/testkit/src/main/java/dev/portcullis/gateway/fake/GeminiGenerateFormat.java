package dev.portcullis.gateway.fake;

import static dev.portcullis.gateway.fake.OpenAiChatFormat.utf8;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Gemini {@code :generateContent} and {@code :streamGenerateContent}. A stream is SSE with {@code
 * ?alt=sse} (each event a whole {@code GenerateContentResponse}) and otherwise one JSON array
 * written element by element, as Google's API does.
 */
final class GeminiGenerateFormat implements ChatFormat {
  private final boolean sse;

  /**
   * @param sse stream as server-sent events rather than as a JSON array
   */
  GeminiGenerateFormat(boolean sse) {
    this.sse = sse;
  }

  @Override
  public Protocol protocol() {
    return Protocol.GEMINI;
  }

  @Override
  public String idPrefix() {
    return "";
  }

  @Override
  public String toolIdPrefix() {
    return "";
  }

  @Override
  public String streamContentType() {
    return sse ? "text/event-stream" : "application/json; charset=UTF-8";
  }

  @Override
  public RequestFacts read(JsonNode body, String pathModel, boolean streamEndpoint) {
    return new RequestFacts(
        pathModel,
        streamEndpoint,
        false,
        inputTokens(body),
        RequestFacts.lastUserText(body.get("contents"), "parts"),
        RequestFacts.intOrNull(body.path("generationConfig").get("maxOutputTokens")),
        forcedTool(body));
  }

  static int inputTokens(JsonNode body) {
    return RequestFacts.estimateTokens(body.get("contents"))
        + (body.has("systemInstruction")
            ? RequestFacts.estimateTokens(body.get("systemInstruction"))
            : 0);
  }

  /** Function-calling mode {@code ANY} calls the first allowed (or first declared) function. */
  private static RequestFacts.ForcedTool forcedTool(JsonNode body) {
    JsonNode config = body.path("toolConfig").path("functionCallingConfig");
    if (!"ANY".equalsIgnoreCase(config.path("mode").asText())) {
      return null;
    }
    String allowed = config.path("allowedFunctionNames").path(0).asText(null);
    JsonNode first = null;
    for (JsonNode tool : body.path("tools")) {
      for (JsonNode declaration : tool.path("functionDeclarations")) {
        if (first == null) {
          first = declaration;
        }
        if (allowed != null && allowed.equals(declaration.path("name").asText())) {
          return tool(declaration);
        }
      }
    }
    if (first != null && allowed == null) {
      return tool(first);
    }
    return allowed == null ? null : new RequestFacts.ForcedTool(allowed, null);
  }

  private static RequestFacts.ForcedTool tool(JsonNode declaration) {
    JsonNode schema = declaration.get("parameters");
    if (schema == null) {
      schema = declaration.get("parametersJsonSchema");
    }
    return new RequestFacts.ForcedTool(declaration.path("name").asText("tool"), schema);
  }

  private static String finishReason(Reply reply) {
    return reply.finish() == Reply.Finish.LENGTH ? "MAX_TOKENS" : "STOP";
  }

  private static String parts(Reply reply, String text) {
    Reply.ToolCall call = reply.toolCall();
    if (call != null) {
      return "[{\"functionCall\":{\"name\":"
          + JsonText.quoted(call.name())
          + ",\"args\":"
          + call.arguments()
          + "}}]";
    }
    return "[{\"text\":" + JsonText.quoted(text) + "}]";
  }

  /** One {@code GenerateContentResponse}; {@code finish} is null for a non-final chunk. */
  private static String response(Reply reply, String parts, String finish, int outputTokens) {
    return "{\"candidates\":[{\"content\":{\"parts\":"
        + parts
        + ",\"role\":\"model\"}"
        + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"")
        + ",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":"
        + reply.promptTokens()
        + ",\"candidatesTokenCount\":"
        + outputTokens
        + ",\"totalTokenCount\":"
        + (reply.promptTokens() + outputTokens)
        + "},\"modelVersion\":"
        + JsonText.quoted(reply.model())
        + ",\"responseId\":\""
        + reply.id()
        + "\"}";
  }

  @Override
  public byte[] body(Reply reply) {
    return utf8(
        response(reply, parts(reply, reply.text()), finishReason(reply), reply.completionTokens()));
  }

  @Override
  public StreamEvents stream(Reply reply) {
    int count = reply.pieces().size();
    return new StreamEvents() {
      private boolean first = true;

      @Override
      public byte[] begin() {
        return sse ? new byte[0] : utf8("[");
      }

      @Override
      public byte[] piece(int index) {
        boolean last = index == count - 1;
        if (reply.toolCall() != null && !last) {
          return null; // Gemini sends a function call whole, in one chunk
        }
        String text = reply.toolCall() == null ? reply.pieces().get(index) : null;
        return utf8(
            frame(
                response(reply, parts(reply, text), last ? finishReason(reply) : null, index + 1)));
      }

      @Override
      public byte[] end() {
        String close = sse ? "" : "]";
        if (count == 0) {
          return utf8(frame(response(reply, parts(reply, ""), "STOP", 0)) + close);
        }
        return utf8(close);
      }

      private String frame(String json) {
        if (sse) {
          return "data: " + json + "\r\n\r\n";
        }
        String separator = first ? "" : ",\r\n";
        first = false;
        return separator + json;
      }
    };
  }
}
