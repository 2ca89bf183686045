package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Json.array;
import static dev.portcullis.gateway.provider.anthropic.Json.object;
import static dev.portcullis.gateway.provider.anthropic.Json.text;
import static dev.portcullis.gateway.provider.anthropic.OpenAiAnthropicContent.textPart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic Messages request as an OpenAI chat-completions request.
 *
 * <p>{@code system} becomes the first system message, and a message with role {@code system} in the
 * middle of the conversation (Claude Code sends them) stays a system message in its place, which
 * OpenAI accepts anywhere. {@code tool_result} blocks become {@code tool} messages placed before
 * the rest of their user turn (images inside a tool result, which OpenAI tool messages cannot
 * carry, follow in that user turn); {@code tool_use} blocks become {@code tool_calls}; a tool
 * result flagged {@code is_error} is prefixed with "Error: ". {@code max_tokens} is sent as {@code
 * max_completion_tokens}, the field every current OpenAI model accepts. Streams always ask for
 * {@code stream_options.include_usage} so the final usage reaches the client.
 *
 * <p>Dropped, because OpenAI chat has no place for them and the answer stays valid without them:
 * thinking and redacted-thinking blocks, the {@code thinking} config, {@code top_k}, {@code
 * cache_control} markers, {@code context_management}, {@code container}, {@code mcp_servers},
 * {@code service_tier} and any other field not mapped here. Server tools, URL documents and file
 * ids cannot be expressed and are refused with {@link IllegalArgumentException}.
 */
final class AnthropicToOpenAiRequestMapper {
  private AnthropicToOpenAiRequestMapper() {}

  static ObjectNode map(ObjectNode req) {
    ObjectNode out = object();
    if (req.has("model")) {
      out.set("model", req.get("model"));
    }
    ArrayNode messages = out.putArray("messages");
    String system = systemText(req.get("system"), "system");
    if (system != null) {
      messages.addObject().put("role", "system").put("content", system);
    }
    JsonNode in = req.get("messages");
    if (in == null || !in.isArray()) {
      throw new IllegalArgumentException("messages: an array of messages is required");
    }
    for (int i = 0; i < in.size(); i++) {
      JsonNode msg = in.get(i);
      String where = "messages[" + i + "]";
      String role = text(msg, "role");
      if ("system".equals(role)) {
        String text = systemText(msg.get("content"), where + ".content");
        if (text != null) {
          messages.addObject().put("role", "system").put("content", text);
        }
      } else if (!OpenAiAnthropicVocabulary.ROLES.knowsRight(role)) {
        throw new IllegalArgumentException(
            where + ".role: '" + role + "' is not supported (user, assistant, system)");
      } else if ("user".equals(role)) {
        userMessages(msg.get("content"), where, messages);
      } else {
        assistantMessage(msg.get("content"), where, messages);
      }
    }

    if (req.has("max_tokens")) {
      out.put("max_completion_tokens", req.get("max_tokens").asInt());
    }
    copyIfPresent(req, "temperature", out);
    copyIfPresent(req, "top_p", out);
    JsonNode stops = req.get("stop_sequences");
    if (stops != null && stops.isArray() && !stops.isEmpty()) {
      out.set("stop", stops.deepCopy());
    }
    if (req.path("stream").asBoolean(false)) {
      out.put("stream", true);
      out.putObject("stream_options").put("include_usage", true);
    }
    String user = text(req.get("metadata"), "user_id");
    if (user != null) {
      out.put("user", user);
    }
    tools(req, out);
    return out;
  }

  /** The text of a system prompt: a string, or text blocks joined by a blank line. */
  private static String systemText(JsonNode system, String where) {
    if (system == null || system.isNull()) {
      return null;
    }
    if (system.isTextual()) {
      return system.asText();
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode block : system) {
      if (!"text".equals(text(block, "type"))) {
        throw new IllegalArgumentException(where + ": only text blocks are supported");
      }
      parts.add(block.path("text").asText());
    }
    return parts.isEmpty() ? null : String.join("\n\n", parts);
  }

  /** One user turn: its tool results as tool messages first, then the rest as a user message. */
  private static void userMessages(JsonNode content, String where, ArrayNode messages) {
    if (content != null && content.isTextual()) {
      messages.addObject().put("role", "user").put("content", content.asText());
      return;
    }
    if (content == null || !content.isArray()) {
      throw new IllegalArgumentException(where + ".content: a string or an array of blocks");
    }
    ArrayNode parts = array();
    ArrayNode toolResultImages = array();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String blockWhere = where + ".content[" + j + "]";
      String type = text(block, "type");
      switch (type == null ? "" : type) {
        case "text" -> parts.add(textPart(block.path("text").asText()));
        case "image" ->
            parts.add(OpenAiAnthropicContent.imageUrlPart(block.path("source"), blockWhere));
        case "document" -> parts.add(OpenAiAnthropicContent.filePart(block, blockWhere));
        case "tool_result" -> messages.add(toolMessage(block, blockWhere, toolResultImages));
        case "thinking", "redacted_thinking" -> {
          // Only assistant turns carry reasoning; a client that echoes it here loses nothing.
        }
        default ->
            throw new IllegalArgumentException(
                blockWhere + ": content block type '" + type + "' has no OpenAI equivalent");
      }
    }
    ArrayNode all = array().addAll(toolResultImages).addAll(parts);
    if (all.isEmpty()) {
      return;
    }
    ObjectNode user = messages.addObject().put("role", "user");
    if (all.size() == 1 && "text".equals(text(all.get(0), "type"))) {
      user.put("content", all.get(0).get("text").asText());
    } else {
      user.set("content", all);
    }
  }

  private static ObjectNode toolMessage(JsonNode block, String where, ArrayNode images) {
    String id = text(block, "tool_use_id");
    if (id == null) {
      throw new IllegalArgumentException(where + ".tool_use_id is required");
    }
    StringBuilder text = new StringBuilder();
    JsonNode content = block.get("content");
    if (content != null && content.isTextual()) {
      text.append(content.asText());
    } else if (content != null && content.isArray()) {
      for (int k = 0; k < content.size(); k++) {
        JsonNode inner = content.get(k);
        String type = text(inner, "type");
        if ("text".equals(type)) {
          if (!text.isEmpty()) {
            text.append('\n');
          }
          text.append(inner.path("text").asText());
        } else if ("image".equals(type)) {
          images.add(
              OpenAiAnthropicContent.imageUrlPart(
                  inner.path("source"), where + ".content[" + k + "]"));
        } else {
          throw new IllegalArgumentException(
              where
                  + ".content["
                  + k
                  + "]: '"
                  + type
                  + "' cannot be sent in an OpenAI tool result");
        }
      }
    }
    String result = text.toString();
    if (block.path("is_error").asBoolean(false)) {
      result = "Error: " + result;
    }
    return object().put("role", "tool").put("tool_call_id", id).put("content", result);
  }

  private static void assistantMessage(JsonNode content, String where, ArrayNode messages) {
    ObjectNode msg = object().put("role", "assistant");
    if (content != null && content.isTextual()) {
      msg.put("content", content.asText());
      messages.add(msg);
      return;
    }
    if (content == null || !content.isArray()) {
      throw new IllegalArgumentException(where + ".content: a string or an array of blocks");
    }
    StringBuilder text = new StringBuilder();
    ArrayNode toolCalls = array();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String type = text(block, "type");
      switch (type == null ? "" : type) {
        // Anthropic splits one answer into several text blocks (e.g. around citations).
        case "text" -> text.append(block.path("text").asText());
        case "tool_use" -> toolCalls.add(OpenAiAnthropicContent.toolCall(block));
        case "thinking", "redacted_thinking" -> {
          // OpenAI chat has no field for prior reasoning; it is dropped.
        }
        default ->
            throw new IllegalArgumentException(
                where
                    + ".content["
                    + j
                    + "]: content block type '"
                    + type
                    + "' has no OpenAI equivalent");
      }
    }
    if (text.isEmpty() && !toolCalls.isEmpty()) {
      msg.putNull("content");
    } else {
      msg.put("content", text.toString());
    }
    if (!toolCalls.isEmpty()) {
      msg.set("tool_calls", toolCalls);
    }
    messages.add(msg);
  }

  private static void tools(JsonNode req, ObjectNode out) {
    JsonNode tools = req.get("tools");
    if (tools == null || !tools.isArray() || tools.isEmpty()) {
      return;
    }
    ArrayNode openAiTools = out.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      openAiTools.add(OpenAiAnthropicContent.openAiTool(tools.get(i), "tools[" + i + "]"));
    }
    OpenAiAnthropicContent.putOpenAiToolChoice(req.get("tool_choice"), out);
  }

  private static void copyIfPresent(JsonNode from, String field, ObjectNode to) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull()) {
      to.set(field, v);
    }
  }
}
