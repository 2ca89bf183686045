package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Json.array;
import static dev.portcullis.gateway.provider.anthropic.Json.object;
import static dev.portcullis.gateway.provider.anthropic.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic Messages clients served by an OpenAI chat-completions upstream.
 *
 * <p>Requests: {@code system} becomes the first system message; {@code tool_result} blocks become
 * {@code tool} messages placed before the rest of their user turn (images inside a tool result,
 * which OpenAI tool messages cannot carry, follow in that user turn); {@code tool_use} blocks
 * become {@code tool_calls}; a tool result flagged {@code is_error} is prefixed with "Error: ".
 * {@code max_tokens} is sent as {@code max_completion_tokens}, the field every current OpenAI model
 * accepts. Streams always ask for {@code stream_options.include_usage} so the final usage reaches
 * the client. Thinking blocks are dropped, {@code top_k} and {@code thinking} are not sent (no
 * equivalent); server tools, URL documents and file ids cannot be expressed and are rejected with
 * {@link IllegalArgumentException}. {@code count_tokens} has no OpenAI endpoint.
 *
 * <p>Responses: OpenAI's {@code prompt_tokens} includes cached tokens and Anthropic's {@code
 * input_tokens} does not, so cached tokens move to {@code cache_read_input_tokens}.
 */
public final class AnthropicToOpenAiTranslator implements Translator {

  @Override
  public WireFormat client() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  public WireFormat upstream() {
    return WireFormat.OPENAI;
  }

  // ---------------------------------------------------------------- request

  @Override
  public ObjectNode request(Operation operation, ObjectNode req) {
    requireChat(operation);
    ObjectNode out = object();
    if (req.has("model")) {
      out.set("model", req.get("model"));
    }
    ArrayNode messages = out.putArray("messages");
    String system = systemText(req.get("system"));
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
      if ("user".equals(role)) {
        userMessages(msg.get("content"), where, messages);
      } else if ("assistant".equals(role)) {
        assistantMessage(msg.get("content"), where, messages);
      } else {
        throw new IllegalArgumentException(
            where + ".role: '" + role + "' is not supported (user, assistant)");
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

  private static void requireChat(Operation operation) {
    if (operation != Operation.CHAT) {
      throw new IllegalArgumentException(
          operation + " cannot be served by an OpenAI target; only messages can");
    }
  }

  private static String systemText(JsonNode system) {
    if (system == null || system.isNull()) {
      return null;
    }
    if (system.isTextual()) {
      return system.asText();
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode block : system) {
      if (!"text".equals(text(block, "type"))) {
        throw new IllegalArgumentException("system: only text blocks are supported");
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
        case "image" -> parts.add(imagePart(block.path("source"), blockWhere));
        case "document" -> parts.add(documentPart(block, blockWhere));
        case "tool_result" -> messages.add(toolMessage(block, blockWhere, toolResultImages));
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
          images.add(imagePart(inner.path("source"), where + ".content[" + k + "]"));
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
        case "tool_use" -> {
          ObjectNode call = toolCalls.addObject();
          call.put("id", text(block, "id"));
          call.put("type", "function");
          call.putObject("function")
              .put("name", text(block, "name"))
              .put("arguments", Json.write(block.has("input") ? block.get("input") : object()));
        }
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

  private static ObjectNode textPart(String text) {
    return object().put("type", "text").put("text", text);
  }

  private static ObjectNode imagePart(JsonNode source, String where) {
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

  private static ObjectNode documentPart(JsonNode block, String where) {
    JsonNode source = block.path("source");
    String type = text(source, "type");
    if ("text".equals(type)) {
      return textPart(source.path("data").asText());
    }
    if ("base64".equals(type)) {
      ObjectNode part = object().put("type", "file");
      ObjectNode file = part.putObject("file");
      String title = text(block, "title");
      file.put("filename", title != null ? title : "document.pdf");
      file.put(
          "file_data",
          new DataUrl(text(source, "media_type"), source.path("data").asText()).toUrl());
      return part;
    }
    throw new IllegalArgumentException(
        where + ".source: only base64 and text documents can be sent to OpenAI");
  }

  private static void tools(JsonNode req, ObjectNode out) {
    JsonNode tools = req.get("tools");
    if (tools == null || !tools.isArray() || tools.isEmpty()) {
      return;
    }
    ArrayNode openAiTools = out.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = text(tool, "type");
      if (type != null && !"custom".equals(type)) {
        throw new IllegalArgumentException(
            "tools[" + i + "]: Anthropic server tool '" + type + "' has no OpenAI equivalent");
      }
      ObjectNode fn = openAiTools.addObject().put("type", "function").putObject("function");
      fn.put("name", text(tool, "name"));
      if (text(tool, "description") != null) {
        fn.put("description", text(tool, "description"));
      }
      fn.set(
          "parameters",
          tool.get("input_schema") instanceof ObjectNode s
              ? s.deepCopy()
              : object().put("type", "object"));
    }
    JsonNode choice = req.get("tool_choice");
    if (choice == null || !choice.isObject()) {
      return;
    }
    switch (String.valueOf(text(choice, "type"))) {
      case "auto" -> out.put("tool_choice", "auto");
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" -> {
        ObjectNode named = out.putObject("tool_choice").put("type", "function");
        named.putObject("function").put("name", text(choice, "name"));
      }
      default ->
          throw new IllegalArgumentException(
              "tool_choice.type: '" + text(choice, "type") + "' (auto, any, tool, none)");
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      out.put("parallel_tool_calls", false);
    }
  }

  // ---------------------------------------------------------------- response

  @Override
  public ObjectNode response(Operation operation, ObjectNode resp, String clientModel) {
    requireChat(operation);
    JsonNode choice = resp.path("choices").path(0);
    JsonNode message = choice.path("message");
    ObjectNode out = object();
    out.put("id", messageId(text(resp, "id")));
    out.put("type", "message");
    out.put("role", "assistant");
    out.put("model", clientModel != null ? clientModel : text(resp, "model"));
    ArrayNode content = out.putArray("content");
    String text = messageText(message.get("content"));
    String refusal = text(message, "refusal");
    if (refusal != null && !refusal.isEmpty()) {
      text = text == null ? refusal : text + refusal;
    }
    if (text != null && !text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode fn = call.path("function");
      ObjectNode block = content.addObject().put("type", "tool_use");
      block.put("id", text(call, "id") != null ? text(call, "id") : Json.newId("toolu_"));
      block.put("name", text(fn, "name"));
      // A model can emit malformed arguments; Anthropic's input must be an object.
      block.set("input", Json.parseObject(text(fn, "arguments")).orElseGet(Json::object));
    }
    out.put("stop_reason", stopReason(text(choice, "finish_reason")));
    out.putNull("stop_sequence");
    out.set("usage", anthropicUsage(resp.get("usage")));
    return out;
  }

  private static String messageText(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    // Some OpenAI-compatible servers answer with an array of text parts.
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(text(part, "type"))) {
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  /** OpenAI finish_reason to Anthropic stop_reason; a missing reason means a normal end. */
  static String stopReason(String finishReason) {
    if (finishReason == null) {
      return "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  private static String messageId(String openAiId) {
    if (openAiId == null || openAiId.isEmpty()) {
      return Json.newId("msg_");
    }
    return "msg_" + (openAiId.startsWith("chatcmpl-") ? openAiId.substring(9) : openAiId);
  }

  private static ObjectNode anthropicUsage(JsonNode usage) {
    long prompt = count(usage, "prompt_tokens");
    long cached = usage == null ? 0 : count(usage.get("prompt_tokens_details"), "cached_tokens");
    ObjectNode u = object();
    u.put("input_tokens", Math.max(0, prompt - cached));
    u.put("cache_creation_input_tokens", 0);
    u.put("cache_read_input_tokens", cached);
    u.put("output_tokens", count(usage, "completion_tokens"));
    return u;
  }

  private static long count(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.canConvertToLong() ? v.asLong() : 0;
  }

  // ---------------------------------------------------------------- stream

  @Override
  public StreamTranslator stream(Operation operation, String clientModel) {
    requireChat(operation);
    return new EventStream(clientModel);
  }

  /** OpenAI {@code chat.completion.chunk}s to the Anthropic message event sequence. */
  private static final class EventStream implements StreamTranslator {
    private final String model;

    /** Anthropic content block index by OpenAI tool-call index, with the call's id. */
    private final Map<Integer, Integer> blockByToolIndex = new HashMap<>();

    private final Map<Integer, String> idByToolIndex = new HashMap<>();
    private int lastToolIndex;
    private boolean started;
    private boolean ended;
    private int nextBlock;
    private int openBlock = -1;
    private boolean openBlockIsText;
    private String stopReason;
    private JsonNode usage;

    EventStream(String model) {
      this.model = model;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent upstreamEvent) {
      if (ended) {
        return List.of();
      }
      List<SseEvent> out = new ArrayList<>();
      String data = upstreamEvent.data();
      if (data != null && data.strip().equals("[DONE]")) {
        end(out);
        return out;
      }
      ObjectNode chunk = Json.parseObject(data).orElse(null);
      if (chunk == null) {
        return out;
      }
      if (chunk.hasNonNull("error")) {
        out.add(errorEvent(anthropicTypeForOpenAiError(chunk.get("error")), errorMessage(chunk)));
        ended = true;
        return out;
      }
      start(out, text(chunk, "id"));
      if (chunk.get("usage") instanceof ObjectNode u) {
        usage = u;
      }
      for (JsonNode choice : chunk.path("choices")) {
        if (choice.path("index").asInt(0) != 0) {
          continue; // n > 1 is never requested; ignore strays defensively.
        }
        JsonNode delta = choice.path("delta");
        appendText(text(delta, "content"), out);
        appendText(text(delta, "refusal"), out);
        for (JsonNode call : delta.path("tool_calls")) {
          onToolCall(call, out);
        }
        String finish = text(choice, "finish_reason");
        if (finish != null) {
          stopReason = stopReason(finish);
          closeBlock(out);
        }
      }
      return out;
    }

    private void appendText(String text, List<SseEvent> out) {
      if (text == null || text.isEmpty()) {
        return;
      }
      if (openBlock < 0 || !openBlockIsText) {
        closeBlock(out);
        ObjectNode block = object().put("type", "text").put("text", "");
        openBlock(block, true, out);
      }
      ObjectNode delta = object().put("type", "text_delta").put("text", text);
      out.add(event("content_block_delta", blockEvent("content_block_delta", openBlock, delta)));
    }

    private void onToolCall(JsonNode call, List<SseEvent> out) {
      String id = text(call, "id");
      // Without an index, a fragment with an id is a new call and one without continues the last.
      int toolIndex =
          call.path("index").asInt(id != null ? blockByToolIndex.size() : lastToolIndex);
      lastToolIndex = toolIndex;
      JsonNode fn = call.path("function");
      Integer block = blockByToolIndex.get(toolIndex);
      // Some servers repeat the id on every fragment; only a new id starts a new call.
      if (block == null || (id != null && !id.equals(idByToolIndex.get(toolIndex)))) {
        closeBlock(out);
        String callId = id != null ? id : Json.newId("toolu_");
        ObjectNode start = object().put("type", "tool_use").put("id", callId);
        start.put("name", fn.path("name").asText(""));
        start.putObject("input");
        openBlock(start, false, out);
        block = openBlock;
        blockByToolIndex.put(toolIndex, block);
        idByToolIndex.put(toolIndex, callId);
      }
      String arguments = text(fn, "arguments");
      if (arguments != null && !arguments.isEmpty()) {
        ObjectNode delta = object().put("type", "input_json_delta").put("partial_json", arguments);
        out.add(event("content_block_delta", blockEvent("content_block_delta", block, delta)));
      }
    }

    private void openBlock(ObjectNode contentBlock, boolean isText, List<SseEvent> out) {
      openBlock = nextBlock++;
      openBlockIsText = isText;
      ObjectNode e = object().put("type", "content_block_start").put("index", openBlock);
      e.set("content_block", contentBlock);
      out.add(event("content_block_start", e));
    }

    private void closeBlock(List<SseEvent> out) {
      if (openBlock >= 0) {
        out.add(
            event(
                "content_block_stop",
                object().put("type", "content_block_stop").put("index", openBlock)));
        openBlock = -1;
      }
    }

    private void start(List<SseEvent> out, String openAiId) {
      if (started) {
        return;
      }
      started = true;
      ObjectNode message = object();
      message.put("id", messageId(openAiId));
      message.put("type", "message");
      message.put("role", "assistant");
      message.put("model", model);
      message.putArray("content");
      message.putNull("stop_reason");
      message.putNull("stop_sequence");
      // OpenAI reports prompt tokens only at the end; message_delta carries the real counts.
      message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
      ObjectNode e = object().put("type", "message_start");
      e.set("message", message);
      out.add(event("message_start", e));
    }

    private void end(List<SseEvent> out) {
      start(out, null);
      closeBlock(out);
      ObjectNode e = object().put("type", "message_delta");
      e.putObject("delta")
          .put("stop_reason", stopReason != null ? stopReason : "end_turn")
          .putNull("stop_sequence");
      e.set("usage", anthropicUsage(usage));
      out.add(event("message_delta", e));
      out.add(event("message_stop", object().put("type", "message_stop")));
      ended = true;
    }

    @Override
    public List<SseEvent> finish() {
      if (ended) {
        return List.of();
      }
      List<SseEvent> out = new ArrayList<>();
      if (stopReason != null) {
        // The answer is complete; only [DONE] was missing, as with some compatible servers.
        end(out);
      } else {
        out.add(
            errorEvent("api_error", "The upstream stream ended before the response was complete"));
        ended = true;
      }
      return out;
    }

    private static ObjectNode blockEvent(String type, int index, ObjectNode delta) {
      ObjectNode e = object().put("type", type).put("index", index);
      e.set("delta", delta);
      return e;
    }

    private static String errorMessage(JsonNode chunk) {
      JsonNode error = chunk.get("error");
      String message = error.isTextual() ? error.asText() : text(error, "message");
      return message != null ? message : "upstream stream failed";
    }
  }

  private static SseEvent event(String name, ObjectNode body) {
    return SseEvent.named(name, Json.write(body));
  }

  private static SseEvent errorEvent(String type, String message) {
    return event("error", anthropicError(type, message));
  }

  private static ObjectNode anthropicError(String type, String message) {
    ObjectNode out = object().put("type", "error");
    out.putObject("error").put("type", type).put("message", message);
    return out;
  }

  // ---------------------------------------------------------------- errors

  @Override
  public ObjectNode error(int status, ObjectNode upstreamError) {
    JsonNode error = upstreamError == null ? null : upstreamError.get("error");
    String message = null;
    if (error != null && error.isObject()) {
      message = text(error, "message");
    } else if (error != null && error.isTextual()) {
      message = error.asText();
    }
    if (message == null) {
      message = text(upstreamError, "message");
    }
    if (message == null) {
      message = "The OpenAI upstream answered HTTP " + status;
    }
    return anthropicError(anthropicType(status), message);
  }

  /** Anthropic's error type for an HTTP status, as its API documents them. */
  static String anthropicType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  private static String anthropicTypeForOpenAiError(JsonNode error) {
    String type = String.valueOf(text(error, "type"));
    String code = String.valueOf(text(error, "code"));
    if (type.equals("authentication_error") || code.equals("invalid_api_key")) {
      return "authentication_error";
    }
    if (code.equals("rate_limit_exceeded")
        || type.contains("rate_limit")
        || type.equals("tokens")
        || type.equals("requests")) {
      return "rate_limit_error";
    }
    if (type.equals("invalid_request_error")) {
      return "invalid_request_error";
    }
    return "api_error";
  }

  private static void copyIfPresent(JsonNode from, String field, ObjectNode to) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull()) {
      to.set(field, v);
    }
  }
}
