package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI {@code POST /v1/responses} (and Azure's deployment path): a response object, or the
 * Responses API's typed events ending with {@code response.completed}, which always carries usage.
 */
final class OpenAiResponsesFormat implements ChatFormat {
  @Override
  public Protocol protocol() {
    return Protocol.OPENAI;
  }

  @Override
  public String idPrefix() {
    return "resp_";
  }

  @Override
  public String toolIdPrefix() {
    return "call_";
  }

  @Override
  public RequestFacts read(JsonNode body, String pathModel, boolean streamEndpoint) {
    JsonNode model = body.get("model");
    JsonNode input = body.get("input");
    String lastUser =
        input != null && input.isTextual()
            ? input.textValue()
            : RequestFacts.lastUserText(messagesOnly(input), "content");
    return new RequestFacts(
        model != null && model.isTextual() ? model.textValue() : pathModel,
        body.path("stream").asBoolean(false),
        true,
        RequestFacts.estimateTokens(body.get("instructions")) + RequestFacts.estimateTokens(input),
        lastUser,
        RequestFacts.intOrNull(body.get("max_output_tokens")),
        forcedTool(body));
  }

  /** Input items that are messages (function calls and outputs have no role). */
  private static JsonNode messagesOnly(JsonNode input) {
    var messages = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    if (input != null && input.isArray()) {
      for (JsonNode item : input) {
        if (item.has("role")) {
          messages.add(item);
        }
      }
    }
    return messages;
  }

  /** {@code tool_choice: "required"} calls the first function tool; a named one calls that one. */
  private static RequestFacts.ForcedTool forcedTool(JsonNode body) {
    JsonNode tools = body.get("tools");
    JsonNode choice = body.get("tool_choice");
    if (tools == null || !tools.isArray() || tools.isEmpty() || choice == null) {
      return null;
    }
    String name =
        choice.isTextual()
            ? ("required".equals(choice.textValue()) ? tools.get(0).path("name").asText() : null)
            : choice.path("name").asText(null);
    if (name == null) {
      return null;
    }
    for (JsonNode tool : tools) {
      if (name.equals(tool.path("name").asText())) {
        return new RequestFacts.ForcedTool(name, tool.get("parameters"));
      }
    }
    return new RequestFacts.ForcedTool(name, null);
  }

  private static String usage(Reply reply) {
    int input = reply.promptTokens();
    int output = reply.completionTokens();
    return "{\"input_tokens\":"
        + input
        + ",\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":"
        + output
        + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":"
        + (input + output)
        + "}";
  }

  private static String item(Reply reply, String status, String content) {
    Reply.ToolCall call = reply.toolCall();
    if (call != null) {
      return "{\"id\":\"fc_"
          + reply.id()
          + "\",\"type\":\"function_call\",\"status\":\""
          + status
          + "\",\"call_id\":\""
          + call.id()
          + "\",\"name\":"
          + JsonText.quoted(call.name())
          + ",\"arguments\":"
          + JsonText.quoted(content)
          + "}";
    }
    return "{\"id\":\"msg_"
        + reply.id()
        + "\",\"type\":\"message\",\"status\":\""
        + status
        + "\",\"role\":\"assistant\",\"content\":["
        + (content == null ? "" : textPart(content))
        + "]}";
  }

  private static String textPart(String text) {
    return "{\"type\":\"output_text\",\"text\":"
        + JsonText.quoted(text)
        + ",\"annotations\":[],\"logprobs\":[]}";
  }

  /** The response object; {@code output} null while in progress. */
  private static String response(Reply reply, boolean done) {
    boolean cut = reply.finish() == Reply.Finish.LENGTH;
    String status = !done ? "in_progress" : cut ? "incomplete" : "completed";
    String content = reply.toolCall() != null ? reply.toolCall().arguments() : reply.text();
    return "{\"id\":\""
        + reply.id()
        + "\",\"object\":\"response\",\"created_at\":"
        + reply.created()
        + ",\"status\":\""
        + status
        + "\",\"error\":null,\"incomplete_details\":"
        + (done && cut ? "{\"reason\":\"max_output_tokens\"}" : "null")
        + ",\"instructions\":null,\"metadata\":{},\"model\":"
        + JsonText.quoted(reply.model())
        + ",\"output\":["
        + (done ? item(reply, "completed", content) : "")
        + "],\"parallel_tool_calls\":true,\"temperature\":1.0,\"tool_choice\":\"auto\","
        + "\"tools\":[],\"top_p\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},\"usage\":"
        + (done ? usage(reply) : "null")
        + "}";
  }

  @Override
  public byte[] body(Reply reply) {
    return response(reply, true).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public StreamEvents stream(Reply reply) {
    boolean call = reply.toolCall() != null;
    String itemId = (call ? "fc_" : "msg_") + reply.id();
    return new StreamEvents() {
      private int sequence;

      private String event(String type, String fields) {
        return "event: "
            + type
            + "\ndata: {\"type\":\""
            + type
            + "\",\"sequence_number\":"
            + sequence++
            + ","
            + fields
            + "}\n\n";
      }

      @Override
      public byte[] begin() {
        String head = response(reply, false);
        String events =
            event("response.created", "\"response\":" + head)
                + event("response.in_progress", "\"response\":" + head)
                + event(
                    "response.output_item.added",
                    "\"output_index\":0,\"item\":" + item(reply, "in_progress", call ? "" : null));
        if (!call) {
          events +=
              event(
                  "response.content_part.added",
                  "\"item_id\":\""
                      + itemId
                      + "\",\"output_index\":0,\"content_index\":0,\"part\":"
                      + textPart(""));
        }
        return OpenAiChatFormat.utf8(events);
      }

      @Override
      public byte[] piece(int index) {
        String delta = JsonText.quoted(reply.pieces().get(index));
        String where = "\"item_id\":\"" + itemId + "\",\"output_index\":0,";
        return OpenAiChatFormat.utf8(
            call
                ? event("response.function_call_arguments.delta", where + "\"delta\":" + delta)
                : event(
                    "response.output_text.delta",
                    where + "\"content_index\":0,\"delta\":" + delta + ",\"logprobs\":[]"));
      }

      @Override
      public byte[] end() {
        String where = "\"item_id\":\"" + itemId + "\",\"output_index\":0,";
        String events;
        if (call) {
          events =
              event(
                  "response.function_call_arguments.done",
                  where + "\"arguments\":" + JsonText.quoted(reply.toolCall().arguments()));
        } else {
          String text = JsonText.quoted(reply.text());
          events =
              event(
                      "response.output_text.done",
                      where + "\"content_index\":0,\"text\":" + text + ",\"logprobs\":[]")
                  + event(
                      "response.content_part.done",
                      where + "\"content_index\":0,\"part\":" + textPart(reply.text()));
        }
        String content = call ? reply.toolCall().arguments() : reply.text();
        events +=
            event(
                "response.output_item.done",
                "\"output_index\":0,\"item\":" + item(reply, "completed", content));
        String terminal =
            reply.finish() == Reply.Finish.LENGTH ? "response.incomplete" : "response.completed";
        events += event(terminal, "\"response\":" + response(reply, true));
        return OpenAiChatFormat.utf8(events);
      }
    };
  }
}
