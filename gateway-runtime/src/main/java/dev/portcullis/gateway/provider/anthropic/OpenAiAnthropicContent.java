package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Json.object;
import static dev.portcullis.gateway.provider.anthropic.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.DataUrl;

/**
 * The pieces of content both formats carry in their own shapes, each converted both ways in one
 * place: tool calls and {@code tool_use} blocks, image parts and image blocks, file parts and
 * document blocks, function tools and Anthropic tools, {@code tool_choice}. Requests of one
 * direction and answers of the other use the same conversion, so the two cannot disagree.
 *
 * <p>What only Anthropic has on a piece ({@code cache_control}, {@code citations}) is left behind
 * on the way to OpenAI: OpenAI has no field for it, and the answer does not depend on it.
 */
final class OpenAiAnthropicContent {
  private OpenAiAnthropicContent() {}

  // ---------------------------------------------------------------- tool calls ⇄ tool_use

  /**
   * An Anthropic {@code tool_use} block for an OpenAI tool call whose arguments the caller parsed
   * (requests refuse malformed arguments, answers tolerate them). A call without an id gets one.
   */
  static ObjectNode toolUse(JsonNode openAiCall, ObjectNode input) {
    String id = text(openAiCall, "id");
    ObjectNode block = object().put("type", "tool_use");
    block.put("id", id != null ? id : Json.newId("toolu_"));
    block.put("name", text(openAiCall.path("function"), "name"));
    block.set("input", input);
    return block;
  }

  /** An OpenAI tool call for an Anthropic {@code tool_use} block; arguments as a JSON string. */
  static ObjectNode toolCall(JsonNode toolUse) {
    ObjectNode call = object();
    call.put("id", text(toolUse, "id"));
    call.put("type", "function");
    call.putObject("function")
        .put("name", text(toolUse, "name"))
        .put("arguments", Json.write(toolUse.has("input") ? toolUse.get("input") : object()));
    return call;
  }

  // ---------------------------------------------------------------- images and documents

  /** An Anthropic image block for an OpenAI {@code image_url} (a data: URL or a web URL). */
  static ObjectNode imageBlock(JsonNode imageUrl, String where) {
    String url = imageUrl.isTextual() ? imageUrl.asText() : text(imageUrl, "url");
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException(where + ".image_url.url is required");
    }
    ObjectNode block = object().put("type", "image");
    ObjectNode source = block.putObject("source");
    if (url.startsWith("data:")) {
      DataUrl data = DataUrl.parse(url, where + ".image_url.url");
      source.put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64());
    } else {
      source.put("type", "url").put("url", url);
    }
    return block;
  }

  /** An OpenAI {@code image_url} part for an Anthropic image source (base64 or url). */
  static ObjectNode imageUrlPart(JsonNode source, String where) {
    String url =
        switch (String.valueOf(text(source, "type"))) {
          case "base64" ->
              new DataUrl(text(source, "media_type"), source.path("data").asText()).toUrl();
          case "url" -> text(source, "url");
          default ->
              throw new IllegalArgumentException(
                  where + ".source: only base64 and url images can be sent to OpenAI");
        };
    ObjectNode part = object().put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  /** An Anthropic document block for an OpenAI {@code file} part with inline data. */
  static ObjectNode documentBlock(JsonNode file, String where) {
    String fileData = text(file, "file_data");
    if (fileData == null) {
      throw new IllegalArgumentException(
          where + ": only inline file_data can be sent to Anthropic, not an OpenAI file_id");
    }
    ObjectNode block = object().put("type", "document");
    ObjectNode source = block.putObject("source");
    if (fileData.startsWith("data:")) {
      DataUrl data = DataUrl.parse(fileData, where + ".file.file_data");
      source.put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64());
    } else {
      // OpenAI also accepts bare base64; PDF is the only document type both APIs share.
      source.put("type", "base64").put("media_type", "application/pdf").put("data", fileData);
    }
    String filename = text(file, "filename");
    if (filename != null) {
      block.put("title", filename);
    }
    return block;
  }

  /** An OpenAI part for an Anthropic document: text documents as text, base64 ones as a file. */
  static ObjectNode filePart(JsonNode document, String where) {
    JsonNode source = document.path("source");
    String type = text(source, "type");
    if ("text".equals(type)) {
      return textPart(source.path("data").asText());
    }
    if ("base64".equals(type)) {
      ObjectNode part = object().put("type", "file");
      ObjectNode file = part.putObject("file");
      String title = text(document, "title");
      file.put("filename", title != null ? title : "document.pdf");
      file.put(
          "file_data",
          new DataUrl(text(source, "media_type"), source.path("data").asText()).toUrl());
      return part;
    }
    throw new IllegalArgumentException(
        where + ".source: only base64 and text documents can be sent to OpenAI");
  }

  /** Anthropic's text block. */
  static ObjectNode textBlock(String text) {
    return object().put("type", "text").put("text", text);
  }

  /** OpenAI's text part: the same shape as Anthropic's text block, named for its side. */
  static ObjectNode textPart(String text) {
    return object().put("type", "text").put("text", text);
  }

  // ---------------------------------------------------------------- tool definitions

  /** An Anthropic tool for an OpenAI function tool; Anthropic requires an object schema. */
  static ObjectNode anthropicTool(JsonNode openAiTool, String where) {
    if (!"function".equals(text(openAiTool, "type"))) {
      throw new IllegalArgumentException(where + ": only function tools can be sent to Anthropic");
    }
    JsonNode fn = openAiTool.path("function");
    ObjectNode tool = object();
    tool.put("name", text(fn, "name"));
    if (text(fn, "description") != null) {
      tool.put("description", text(fn, "description"));
    }
    ObjectNode schema = fn.get("parameters") instanceof ObjectNode p ? p.deepCopy() : object();
    if (!schema.has("type")) {
      schema.put("type", "object");
    }
    if (!schema.has("properties")) {
      schema.putObject("properties");
    }
    tool.set("input_schema", schema);
    return tool;
  }

  /**
   * An OpenAI function tool for an Anthropic client tool. Server tools (typed, run by Anthropic)
   * have no OpenAI equivalent and are refused; {@code cache_control} is left behind.
   */
  static ObjectNode openAiTool(JsonNode anthropicTool, String where) {
    String type = text(anthropicTool, "type");
    if (type != null && !"custom".equals(type)) {
      throw new IllegalArgumentException(
          where + ": Anthropic server tool '" + type + "' has no OpenAI equivalent");
    }
    ObjectNode tool = object().put("type", "function");
    ObjectNode fn = tool.putObject("function");
    fn.put("name", text(anthropicTool, "name"));
    if (text(anthropicTool, "description") != null) {
      fn.put("description", text(anthropicTool, "description"));
    }
    fn.set(
        "parameters",
        anthropicTool.get("input_schema") instanceof ObjectNode s
            ? s.deepCopy()
            : object().put("type", "object"));
    return tool;
  }

  // ---------------------------------------------------------------- tool choice

  /**
   * Anthropic's {@code tool_choice} for OpenAI's {@code tool_choice} and {@code
   * parallel_tool_calls}; null when the request states neither.
   */
  static ObjectNode anthropicToolChoice(JsonNode choice, JsonNode parallelToolCalls) {
    ObjectNode anthropic = null;
    if (choice != null && choice.isTextual()) {
      if (!OpenAiAnthropicVocabulary.TOOL_CHOICE_MODES.knowsLeft(choice.asText())) {
        throw new IllegalArgumentException(
            "tool_choice: '" + choice.asText() + "' (auto, none, required)");
      }
      anthropic =
          object()
              .put("type", OpenAiAnthropicVocabulary.TOOL_CHOICE_MODES.toRight(choice.asText()));
    } else if (choice != null && choice.isObject()) {
      String name = text(choice.path("function"), "name");
      if (!"function".equals(text(choice, "type")) || name == null) {
        throw new IllegalArgumentException(
            "tool_choice: only {\"type\":\"function\",\"function\":{\"name\":...}} can be sent to"
                + " Anthropic");
      }
      anthropic = object().put("type", "tool").put("name", name);
    }
    if (parallelToolCalls != null
        && parallelToolCalls.isBoolean()
        && !parallelToolCalls.asBoolean()) {
      if (anthropic == null) {
        anthropic = object().put("type", "auto");
      }
      if (!"none".equals(text(anthropic, "type"))) {
        anthropic.put("disable_parallel_tool_use", true);
      }
    }
    return anthropic;
  }

  /**
   * Sets OpenAI's {@code tool_choice} (and {@code parallel_tool_calls: false}) on {@code out} for
   * Anthropic's {@code tool_choice}.
   */
  static void putOpenAiToolChoice(JsonNode choice, ObjectNode out) {
    if (choice == null || !choice.isObject()) {
      return;
    }
    String type = text(choice, "type");
    if ("tool".equals(type)) {
      ObjectNode named = out.putObject("tool_choice").put("type", "function");
      named.putObject("function").put("name", text(choice, "name"));
    } else if (OpenAiAnthropicVocabulary.TOOL_CHOICE_MODES.knowsRight(type)) {
      out.put("tool_choice", OpenAiAnthropicVocabulary.TOOL_CHOICE_MODES.toLeft(type));
    } else {
      throw new IllegalArgumentException(
          "tool_choice.type: '" + type + "' (auto, any, tool, none)");
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      out.put("parallel_tool_calls", false);
    }
  }

  // ---------------------------------------------------------------- ids

  /** Anthropic's message id for an OpenAI completion id ({@code chatcmpl-X} → {@code msg_X}). */
  static String anthropicMessageId(String openAiId) {
    if (openAiId == null || openAiId.isEmpty()) {
      return Json.newId("msg_");
    }
    return "msg_" + (openAiId.startsWith("chatcmpl-") ? openAiId.substring(9) : openAiId);
  }
}
