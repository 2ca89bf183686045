package dev.portcullis.gateway.provider.responses;

import static dev.portcullis.gateway.provider.responses.ResponsesChatVocabulary.DROPPED_ITEMS;
import static dev.portcullis.gateway.provider.responses.ResponsesChatVocabulary.FUNCTION_CALL_ITEM;
import static dev.portcullis.gateway.provider.responses.ResponsesChatVocabulary.FUNCTION_CALL_OUTPUT_ITEM;
import static dev.portcullis.gateway.provider.responses.ResponsesChatVocabulary.MESSAGE_ITEM;
import static dev.portcullis.gateway.provider.responses.ResponsesChatVocabulary.PART;
import static dev.portcullis.gateway.provider.responses.ResponsesChatVocabulary.ROLE;
import static dev.portcullis.gateway.provider.responses.ResponsesChatVocabulary.TOOL_CHOICE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A Responses API request as a chat completions request. What only a server that stores responses
 * or runs tools itself can do is refused with a message naming the field; reasoning history and
 * storage hints are dropped (see {@code provider/README.md}).
 */
final class ResponsesToChatRequestMapper {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Fields whose meaning is a stored response or a server-side run: never translatable. */
  private static final List<String> STATEFUL_FIELDS =
      List.of("previous_response_id", "conversation", "prompt");

  private ResponsesToChatRequestMapper() {}

  static ObjectNode request(ObjectNode responses) {
    for (String field : STATEFUL_FIELDS) {
      JsonNode value = responses.get(field);
      if (value != null && !value.isNull()) {
        throw new IllegalArgumentException(
            field
                + ": refers to state stored by OpenAI, which only OpenAI and Azure OpenAI targets"
                + " have; send the whole conversation in 'input' instead");
      }
    }
    if (responses.path("background").asBoolean(false)) {
      throw new IllegalArgumentException(
          "background: background responses are run and stored by OpenAI; only OpenAI and Azure"
              + " OpenAI targets serve them");
    }
    ObjectNode chat = NODES.objectNode();
    if (responses.has("model")) {
      chat.set("model", responses.get("model"));
    }
    ArrayNode messages = chat.putArray("messages");
    JsonNode instructions = responses.get("instructions");
    if (instructions != null && instructions.isTextual()) {
      messages.addObject().put("role", "system").put("content", instructions.textValue());
    }
    input(responses.get("input"), messages);
    tools(responses.get("tools"), chat);
    toolChoice(responses.get("tool_choice"), chat);
    copy(responses, "parallel_tool_calls", chat, "parallel_tool_calls");
    copy(responses, "temperature", chat, "temperature");
    copy(responses, "top_p", chat, "top_p");
    copy(responses, "max_output_tokens", chat, "max_completion_tokens");
    copy(responses, "user", chat, "user");
    JsonNode effort = responses.path("reasoning").get("effort");
    if (effort != null && effort.isTextual()) {
      chat.put("reasoning_effort", effort.textValue());
    }
    textFormat(responses.path("text").get("format"), chat);
    if (responses.path("stream").asBoolean(false)) {
      chat.put("stream", true);
      // The Responses API always reports usage at a stream's end; chat does so only when asked.
      chat.putObject("stream_options").put("include_usage", true);
    }
    return chat;
  }

  private static void input(JsonNode input, ArrayNode messages) {
    if (input == null || input.isNull()) {
      return;
    }
    if (input.isTextual()) {
      messages.addObject().put("role", "user").put("content", input.textValue());
      return;
    }
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      String where = "input[" + i + "]";
      String type = item.path("type").asText(item.has("role") ? MESSAGE_ITEM : "");
      switch (type) {
        case MESSAGE_ITEM -> messages.add(message(item, where));
        case FUNCTION_CALL_ITEM -> functionCall(item, messages);
        case FUNCTION_CALL_OUTPUT_ITEM ->
            messages
                .addObject()
                .put("role", "tool")
                .put("tool_call_id", item.path("call_id").asText())
                .put("content", outputText(item.get("output")));
        default -> {
          if (!DROPPED_ITEMS.contains(type)) {
            throw new IllegalArgumentException(
                where
                    + ".type: '"
                    + type
                    + "' items "
                    + ("item_reference".equals(type)
                        ? "refer to items stored by OpenAI"
                        : "belong to built-in tools")
                    + ", which only OpenAI and Azure OpenAI targets serve");
          }
        }
      }
    }
  }

  private static ObjectNode message(JsonNode item, String where) {
    String role = item.path("role").asText("user");
    if (!ROLE.knowsRight(role)) {
      throw new IllegalArgumentException(where + ".role: unknown role '" + role + "'");
    }
    ObjectNode message = NODES.objectNode().put("role", ROLE.toLeft(role));
    JsonNode content = item.get("content");
    if (content == null || content.isTextual()) {
      message.put("content", content == null ? "" : content.textValue());
      return message;
    }
    if ("assistant".equals(role)) {
      // Assistant history is text (and refusals); chat servers expect it as a string.
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        text.append(part.has("text") ? part.path("text").asText() : part.path("refusal").asText());
      }
      message.put("content", text.toString());
      return message;
    }
    ArrayNode parts = message.putArray("content");
    for (int j = 0; j < content.size(); j++) {
      parts.add(part(content.get(j), where + ".content[" + j + "]"));
    }
    return message;
  }

  private static ObjectNode part(JsonNode part, String where) {
    String type = part.path("type").asText();
    if (!PART.knowsRight(type)) {
      throw new IllegalArgumentException(where + ".type: unsupported content part '" + type + "'");
    }
    String chatType = PART.toLeft(type);
    ObjectNode out = NODES.objectNode().put("type", chatType);
    switch (chatType) {
      case "image_url" -> {
        JsonNode url = part.get("image_url");
        if (url == null || !url.isTextual()) {
          throw new IllegalArgumentException(
              where
                  + ".file_id: images stored with OpenAI cannot be read elsewhere; send image_url");
        }
        ObjectNode image = out.putObject("image_url").put("url", url.textValue());
        if (part.has("detail")) {
          image.set("detail", part.get("detail"));
        }
      }
      case "file" -> {
        if (!part.has("file_data")) {
          throw new IllegalArgumentException(
              where
                  + ".file_id: files stored with OpenAI cannot be read elsewhere; send file_data");
        }
        ObjectNode file = out.putObject("file");
        file.set("file_data", part.get("file_data"));
        if (part.has("filename")) {
          file.set("filename", part.get("filename"));
        }
      }
      default ->
          out.put(
              "text",
              part.has("text") ? part.path("text").asText() : part.path("refusal").asText());
    }
    return out;
  }

  /** A function call joins the assistant message right before it, or starts one. */
  private static void functionCall(JsonNode item, ArrayNode messages) {
    ObjectNode assistant = null;
    if (!messages.isEmpty()
        && messages.get(messages.size() - 1) instanceof ObjectNode last
        && "assistant".equals(last.path("role").asText())) {
      assistant = last;
    } else {
      assistant = messages.addObject().put("role", "assistant");
      assistant.putNull("content");
    }
    ArrayNode calls =
        assistant.get("tool_calls") instanceof ArrayNode a ? a : assistant.putArray("tool_calls");
    ObjectNode call = calls.addObject();
    call.put("id", item.path("call_id").asText());
    call.put("type", "function");
    call.putObject("function")
        .put("name", item.path("name").asText())
        .put("arguments", item.path("arguments").asText("{}"));
  }

  /** A function call's output: a string, or content parts whose text is joined. */
  private static String outputText(JsonNode output) {
    if (output == null || output.isNull()) {
      return "";
    }
    if (output.isTextual()) {
      return output.textValue();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : output) {
      text.append(part.path("text").asText());
    }
    return text.toString();
  }

  private static void tools(JsonNode tools, ObjectNode chat) {
    if (tools == null || !tools.isArray() || tools.isEmpty()) {
      return;
    }
    ArrayNode out = chat.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText();
      if (!"function".equals(type)) {
        throw new IllegalArgumentException(
            "tools["
                + i
                + "].type: '"
                + type
                + "' is a built-in tool run by OpenAI; only OpenAI and Azure OpenAI targets serve"
                + " it (function tools work everywhere)");
      }
      ObjectNode function = out.addObject().put("type", "function").putObject("function");
      function.put("name", tool.path("name").asText());
      for (String field : List.of("description", "parameters", "strict")) {
        if (tool.has(field) && !tool.get(field).isNull()) {
          function.set(field, tool.get(field));
        }
      }
    }
  }

  private static void toolChoice(JsonNode choice, ObjectNode chat) {
    if (choice == null || choice.isNull()) {
      return;
    }
    if (choice.isTextual()) {
      if (!TOOL_CHOICE.knowsRight(choice.textValue())) {
        throw new IllegalArgumentException(
            "tool_choice: unknown mode '" + choice.textValue() + "'");
      }
      chat.put("tool_choice", TOOL_CHOICE.toLeft(choice.textValue()));
      return;
    }
    String type = choice.path("type").asText();
    if (!"function".equals(type)) {
      throw new IllegalArgumentException(
          "tool_choice.type: '"
              + type
              + "' names a built-in tool; only OpenAI and Azure OpenAI targets serve it");
    }
    ObjectNode named = chat.putObject("tool_choice").put("type", "function");
    named.putObject("function").put("name", choice.path("name").asText());
  }

  /** {@code text.format} ⇄ {@code response_format}: the schema moves into {@code json_schema}. */
  private static void textFormat(JsonNode format, ObjectNode chat) {
    if (format == null || !format.isObject()) {
      return;
    }
    String type = format.path("type").asText("text");
    switch (type) {
      case "text" -> {}
      case "json_object" -> chat.putObject("response_format").put("type", "json_object");
      case "json_schema" -> {
        ObjectNode schema =
            chat.putObject("response_format").put("type", "json_schema").putObject("json_schema");
        for (String field : List.of("name", "description", "schema", "strict")) {
          if (format.has(field)) {
            schema.set(field, format.get(field));
          }
        }
      }
      default ->
          throw new IllegalArgumentException("text.format.type: unknown format '" + type + "'");
    }
  }

  private static void copy(JsonNode from, String field, ObjectNode to, String as) {
    JsonNode value = from.get(field);
    if (value != null && !value.isNull()) {
      to.set(as, value);
    }
  }
}
