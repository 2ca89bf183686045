package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Json.array;
import static dev.portcullis.gateway.provider.anthropic.Json.object;
import static dev.portcullis.gateway.provider.anthropic.Json.text;
import static dev.portcullis.gateway.provider.anthropic.OpenAiAnthropicContent.textBlock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An OpenAI chat-completions request as an Anthropic Messages request.
 *
 * <p>System and developer messages, wherever they stand in the conversation, are collected in order
 * into the top-level {@code system} (Anthropic has no system turns). Tool calls become {@code
 * tool_use} blocks and {@code tool} messages {@code tool_result} blocks in a user turn; consecutive
 * turns of one role are merged, as Anthropic requires alternation. {@code max_tokens} is mandatory
 * upstream, so a default applies when the client sets none; temperatures above Anthropic's 1 are
 * clamped. {@code response_format} is approximated by a system instruction. A {@code cache_control}
 * marker on a text part (the convention of OpenAI-format clients that front Claude) is kept on the
 * block. {@code n > 1}, audio input and file ids cannot be expressed and are refused with {@link
 * IllegalArgumentException}; knobs Anthropic lacks are dropped.
 */
final class OpenAiToAnthropicRequestMapper {
  private final int defaultMaxTokens;

  OpenAiToAnthropicRequestMapper(int defaultMaxTokens) {
    this.defaultMaxTokens = defaultMaxTokens;
  }

  ObjectNode map(ObjectNode req) {
    ObjectNode out = object();
    if (req.has("model")) {
      out.set("model", req.get("model"));
    }
    JsonNode n = req.get("n");
    if (n != null && !n.isNull() && n.asInt(1) != 1) {
      throw new IllegalArgumentException("n: Anthropic returns one choice per request; use n=1");
    }

    List<ObjectNode> system = new ArrayList<>();
    ArrayNode messages = array();
    JsonNode in = req.get("messages");
    if (in == null || !in.isArray()) {
      throw new IllegalArgumentException("messages: an array of messages is required");
    }
    for (int i = 0; i < in.size(); i++) {
      JsonNode msg = in.get(i);
      String where = "messages[" + i + "]";
      String role = text(msg, "role");
      switch (role == null ? "" : role) {
        case "system", "developer" -> system.addAll(textBlocks(msg.get("content"), where));
        case "user" -> append(messages, "user", userBlocks(msg.get("content"), where));
        case "assistant" -> append(messages, "assistant", assistantBlocks(msg, where));
        case "tool" ->
            append(
                messages,
                OpenAiAnthropicVocabulary.ROLES.toRight(role),
                List.of(toolResult(msg, where)));
        default ->
            throw new IllegalArgumentException(
                where
                    + ".role: '"
                    + role
                    + "' is not supported (system, developer, user,"
                    + " assistant, tool)");
      }
    }
    responseFormatInstruction(req.get("response_format")).ifPresent(system::add);
    if (system.size() == 1 && system.get(0).size() == 2) {
      out.put("system", system.get(0).get("text").asText());
    } else if (!system.isEmpty()) {
      out.set("system", array().addAll(system));
    }
    for (JsonNode m : messages) {
      collapseSingleText((ObjectNode) m);
    }
    out.set("messages", messages);

    JsonNode maxTokens = firstPresent(req, "max_completion_tokens", "max_tokens");
    out.put("max_tokens", maxTokens == null ? defaultMaxTokens : maxTokens.asInt());

    JsonNode temperature = req.get("temperature");
    if (temperature != null && temperature.isNumber()) {
      out.put("temperature", Math.min(1.0, temperature.asDouble()));
    }
    JsonNode topP = req.get("top_p");
    if (topP != null && !topP.isNull()) {
      out.set("top_p", topP);
    }
    stopSequences(req.get("stop")).ifPresent(s -> out.set("stop_sequences", s));
    if (req.path("stream").asBoolean(false)) {
      out.put("stream", true);
    }
    String user = firstText(req, "user", "safety_identifier");
    if (user == null) {
      user = text(req.get("metadata"), "user");
    }
    if (user != null) {
      out.putObject("metadata").put("user_id", user);
    }
    tools(req, out);
    return out;
  }

  /** Appends blocks as a turn, merging into the previous turn when it has the same role. */
  private static void append(ArrayNode messages, String role, List<ObjectNode> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    if (!messages.isEmpty()) {
      ObjectNode last = (ObjectNode) messages.get(messages.size() - 1);
      if (role.equals(last.get("role").asText())) {
        ((ArrayNode) last.get("content")).addAll(blocks);
        return;
      }
    }
    ObjectNode m = messages.addObject();
    m.put("role", role);
    m.set("content", array().addAll(blocks));
  }

  /** Keeps the plain-string form for a turn that is one text block, as most clients send it. */
  private static void collapseSingleText(ObjectNode message) {
    JsonNode content = message.get("content");
    if (content.size() == 1
        && "text".equals(text(content.get(0), "type"))
        && content.get(0).size() == 2) {
      message.put("content", content.get(0).get("text").asText());
    }
  }

  private static List<ObjectNode> textBlocks(JsonNode content, String where) {
    List<ObjectNode> blocks = new ArrayList<>();
    if (content == null || content.isNull()) {
      return blocks;
    }
    if (content.isTextual()) {
      if (!content.asText().isEmpty()) {
        blocks.add(textBlock(content.asText()));
      }
      return blocks;
    }
    if (!content.isArray()) {
      throw new IllegalArgumentException(where + ".content: a string or an array of parts");
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String type = text(part, "type");
      if ("text".equals(type) || "refusal".equals(type)) {
        String t = text(part, type);
        if (t != null && !t.isEmpty()) {
          blocks.add(withCacheControl(textBlock(t), part));
        }
      } else {
        throw new IllegalArgumentException(
            where + ".content[" + j + "]: only text parts are allowed here, not '" + type + "'");
      }
    }
    return blocks;
  }

  private static List<ObjectNode> userBlocks(JsonNode content, String where) {
    List<ObjectNode> blocks = new ArrayList<>();
    if (content == null || content.isNull()) {
      return blocks;
    }
    if (content.isTextual()) {
      // Kept even when empty so the upstream, not the gateway, judges an empty prompt.
      blocks.add(textBlock(content.asText()));
      return blocks;
    }
    if (!content.isArray()) {
      throw new IllegalArgumentException(where + ".content: a string or an array of parts");
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String partWhere = where + ".content[" + j + "]";
      String type = text(part, "type");
      ObjectNode block =
          switch (type == null ? "" : type) {
            case "text" -> textBlock(part.path("text").asText());
            case "image_url" ->
                OpenAiAnthropicContent.imageBlock(part.path("image_url"), partWhere);
            case "file" -> OpenAiAnthropicContent.documentBlock(part.path("file"), partWhere);
            default ->
                throw new IllegalArgumentException(
                    partWhere + ": content part type '" + type + "' has no Anthropic equivalent");
          };
      blocks.add(withCacheControl(block, part));
    }
    return blocks;
  }

  /** Carries a part's {@code cache_control} marker over to its block. */
  private static ObjectNode withCacheControl(ObjectNode block, JsonNode part) {
    if (part.get("cache_control") instanceof ObjectNode marker) {
      block.set("cache_control", marker.deepCopy());
    }
    return block;
  }

  private static List<ObjectNode> assistantBlocks(JsonNode msg, String where) {
    List<ObjectNode> blocks = textBlocks(msg.get("content"), where);
    JsonNode calls = msg.get("tool_calls");
    if (calls != null && calls.isArray()) {
      for (int j = 0; j < calls.size(); j++) {
        JsonNode call = calls.get(j);
        String callWhere = where + ".tool_calls[" + j + "]";
        String arguments = text(call.path("function"), "arguments");
        ObjectNode input;
        if (arguments == null || arguments.isBlank()) {
          input = object();
        } else {
          input =
              Json.parseObject(arguments)
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              callWhere + ".function.arguments: not a JSON object"));
        }
        blocks.add(OpenAiAnthropicContent.toolUse(call, input));
      }
    }
    return blocks;
  }

  private static ObjectNode toolResult(JsonNode msg, String where) {
    String id = text(msg, "tool_call_id");
    if (id == null) {
      throw new IllegalArgumentException(where + ".tool_call_id is required for role tool");
    }
    ObjectNode block = object().put("type", "tool_result").put("tool_use_id", id);
    JsonNode content = msg.get("content");
    if (content == null || content.isNull() || content.isTextual()) {
      block.put("content", content == null || content.isNull() ? "" : content.asText());
    } else {
      block.set("content", array().addAll(textBlocks(content, where)));
    }
    return block;
  }

  private static Optional<ObjectNode> responseFormatInstruction(JsonNode format) {
    String type = text(format, "type");
    if ("json_object".equals(type)) {
      return Optional.of(
          textBlock(
              "Respond only with a single valid JSON object. Do not add any text before or after"
                  + " the JSON."));
    }
    if ("json_schema".equals(type)) {
      JsonNode spec = format.path("json_schema");
      JsonNode schema = spec.path("schema");
      return Optional.of(
          textBlock(
              "Respond only with JSON that conforms to this JSON Schema"
                  + (spec.has("name") ? " (" + spec.get("name").asText() + ")" : "")
                  + ". Do not add any text before or after the JSON.\n"
                  + Json.write(schema)));
    }
    return Optional.empty();
  }

  private static Optional<ArrayNode> stopSequences(JsonNode stop) {
    if (stop == null || stop.isNull()) {
      return Optional.empty();
    }
    ArrayNode sequences = array();
    if (stop.isTextual()) {
      sequences.add(stop.asText());
    } else if (stop.isArray()) {
      stop.forEach(s -> sequences.add(s.asText()));
    }
    return sequences.isEmpty() ? Optional.empty() : Optional.of(sequences);
  }

  private static void tools(JsonNode req, ObjectNode out) {
    JsonNode tools = req.get("tools");
    if (tools == null || !tools.isArray() || tools.isEmpty()) {
      return; // Anthropic rejects tool_choice without tools.
    }
    ArrayNode anthropicTools = out.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      anthropicTools.add(OpenAiAnthropicContent.anthropicTool(tools.get(i), "tools[" + i + "]"));
    }
    ObjectNode choice =
        OpenAiAnthropicContent.anthropicToolChoice(
            req.get("tool_choice"), req.get("parallel_tool_calls"));
    if (choice != null) {
      out.set("tool_choice", choice);
    }
  }

  private static JsonNode firstPresent(JsonNode node, String... fields) {
    for (String f : fields) {
      JsonNode v = node.get(f);
      if (v != null && !v.isNull()) {
        return v;
      }
    }
    return null;
  }

  private static String firstText(JsonNode node, String... fields) {
    for (String f : fields) {
      String v = text(node, f);
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
