package dev.portcullis.gateway.fake;

import static dev.portcullis.gateway.fake.OpenAiChatFormat.utf8;

import com.fasterxml.jackson.databind.JsonNode;

/** OpenAI legacy {@code POST /v1/completions}: {@code text_completion} bodies and chunks. */
final class OpenAiCompletionFormat implements ChatFormat {

  @Override
  public Protocol protocol() {
    return Protocol.OPENAI;
  }

  @Override
  public String idPrefix() {
    return "cmpl-";
  }

  @Override
  public String toolIdPrefix() {
    return "call_";
  }

  @Override
  public RequestFacts read(JsonNode body, String pathModel, boolean streamEndpoint) {
    JsonNode model = body.get("model");
    JsonNode prompt = body.get("prompt");
    String promptText =
        prompt == null
            ? ""
            : prompt.isArray() && !prompt.isEmpty() ? prompt.get(0).asText() : prompt.asText();
    return new RequestFacts(
        model != null && model.isTextual() ? model.textValue() : pathModel,
        body.path("stream").asBoolean(false),
        body.path("stream_options").path("include_usage").asBoolean(false),
        RequestFacts.estimateTokens(prompt),
        promptText,
        RequestFacts.intOrNull(body.get("max_tokens")),
        null);
  }

  private static String usage(Reply reply) {
    int prompt = reply.promptTokens();
    int completion = reply.completionTokens();
    return "{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + "}";
  }

  private static String head(Reply reply) {
    return "{\"id\":\""
        + reply.id()
        + "\",\"object\":\"text_completion\",\"created\":"
        + reply.created()
        + ",\"model\":"
        + JsonText.quoted(reply.model())
        + ",\"system_fingerprint\":\"fp_fake\",\"choices\":[";
  }

  private static String choice(String text, String finishReason) {
    return "{\"text\":"
        + JsonText.quoted(text)
        + ",\"index\":0,\"logprobs\":null,\"finish_reason\":"
        + finishReason
        + "}";
  }

  private static String finishReason(Reply reply) {
    return reply.finish() == Reply.Finish.LENGTH ? "\"length\"" : "\"stop\"";
  }

  @Override
  public byte[] body(Reply reply) {
    return utf8(
        head(reply)
            + choice(reply.text(), finishReason(reply))
            + "],\"usage\":"
            + usage(reply)
            + "}");
  }

  @Override
  public StreamEvents stream(Reply reply) {
    String head = "data: " + head(reply);
    return new StreamEvents() {
      @Override
      public byte[] begin() {
        return new byte[0];
      }

      @Override
      public byte[] piece(int index) {
        return utf8(head + choice(reply.pieces().get(index), "null") + "]}\n\n");
      }

      @Override
      public byte[] end() {
        String last = head + choice("", finishReason(reply)) + "]}\n\n";
        if (reply.includeUsage()) {
          last += head + "],\"usage\":" + usage(reply) + "}\n\n";
        }
        return utf8(last + "data: [DONE]\n\n");
      }
    };
  }
}
