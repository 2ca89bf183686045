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
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI chat-completions clients served by the Anthropic Messages API.
 *
 * <p>Requests: system and developer messages become {@code system}; tool calls become {@code
 * tool_use} blocks and {@code tool} messages {@code tool_result} blocks in a user turn; consecutive
 * turns of one role are merged, as Anthropic requires alternation. {@code max_tokens} is mandatory
 * upstream, so a default applies when the client sets none. Anthropic's temperature range is 0..1,
 * so larger OpenAI temperatures are clamped to 1. {@code response_format} has no Anthropic
 * equivalent and is approximated by a system instruction to answer with JSON only (conforming to
 * the schema, for {@code json_schema}); the model usually complies but it is not enforced. {@code n
 * > 1}, audio input and OpenAI file ids cannot be expressed and are rejected with {@link
 * IllegalArgumentException}; sampling knobs Anthropic lacks (penalties, seed, logprobs, logit_bias)
 * are dropped.
 *
 * <p>Responses and streams: thinking blocks are dropped (OpenAI chat has no place for them); {@code
 * prompt_tokens} counts cache reads and writes, as OpenAI's does.
 */
public final class OpenAiToAnthropicTranslator implements Translator {
  /** Used when the client sets neither {@code max_completion_tokens} nor {@code max_tokens}. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  private final int defaultMaxTokens;
  private final Clock clock;

  public OpenAiToAnthropicTranslator() {
    this(DEFAULT_MAX_TOKENS, Clock.systemUTC());
  }

  public OpenAiToAnthropicTranslator(int defaultMaxTokens, Clock clock) {
    if (defaultMaxTokens < 1) {
      throw new IllegalArgumentException("defaultMaxTokens must be positive");
    }
    this.defaultMaxTokens = defaultMaxTokens;
    this.clock = clock;
  }

  @Override
  public WireFormat client() {
    return WireFormat.OPENAI;
  }

  @Override
  public WireFormat upstream() {
    return WireFormat.ANTHROPIC;
  }

  // ---------------------------------------------------------------- request

  @Override
  public ObjectNode request(Operation operation, ObjectNode req) {
    requireChat(operation);
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
        case "tool" -> append(messages, "user", List.of(toolResult(msg, where)));
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
    if (system.size() == 1) {
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
    copyIfPresent(req, "top_p", out, "top_p");
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

  private static void requireChat(Operation operation) {
    if (operation != Operation.CHAT) {
      throw new IllegalArgumentException(
          operation + " cannot be served by an Anthropic target; only chat completions can");
    }
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
          blocks.add(textBlock(t));
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
      switch (type == null ? "" : type) {
        case "text" -> blocks.add(textBlock(part.path("text").asText()));
        case "image_url" -> blocks.add(image(part.path("image_url"), partWhere));
        case "file" -> blocks.add(document(part.path("file"), partWhere));
        default ->
            throw new IllegalArgumentException(
                partWhere + ": content part type '" + type + "' has no Anthropic equivalent");
      }
    }
    return blocks;
  }

  private static ObjectNode image(JsonNode imageUrl, String where) {
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

  private static ObjectNode document(JsonNode file, String where) {
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

  private static List<ObjectNode> assistantBlocks(JsonNode msg, String where) {
    List<ObjectNode> blocks = textBlocks(msg.get("content"), where);
    JsonNode calls = msg.get("tool_calls");
    if (calls != null && calls.isArray()) {
      for (int j = 0; j < calls.size(); j++) {
        JsonNode call = calls.get(j);
        String callWhere = where + ".tool_calls[" + j + "]";
        JsonNode fn = call.path("function");
        String arguments = text(fn, "arguments");
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
        ObjectNode block = object().put("type", "tool_use");
        block.put("id", text(call, "id"));
        block.put("name", text(fn, "name"));
        block.set("input", input);
        blocks.add(block);
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
      JsonNode tool = tools.get(i);
      if (!"function".equals(text(tool, "type"))) {
        throw new IllegalArgumentException(
            "tools[" + i + "]: only function tools can be sent to Anthropic");
      }
      JsonNode fn = tool.path("function");
      ObjectNode t = anthropicTools.addObject();
      t.put("name", text(fn, "name"));
      if (text(fn, "description") != null) {
        t.put("description", text(fn, "description"));
      }
      ObjectNode schema = fn.get("parameters") instanceof ObjectNode p ? p.deepCopy() : object();
      if (!schema.has("type")) {
        schema.put("type", "object");
      }
      if (!schema.has("properties")) {
        schema.putObject("properties");
      }
      t.set("input_schema", schema);
    }

    JsonNode choice = req.get("tool_choice");
    ObjectNode anthropicChoice = null;
    if (choice != null && choice.isTextual()) {
      anthropicChoice =
          switch (choice.asText()) {
            case "auto" -> object().put("type", "auto");
            case "none" -> object().put("type", "none");
            case "required" -> object().put("type", "any");
            default ->
                throw new IllegalArgumentException(
                    "tool_choice: '" + choice.asText() + "' (auto, none, required)");
          };
    } else if (choice != null && choice.isObject()) {
      String name = text(choice.path("function"), "name");
      if (!"function".equals(text(choice, "type")) || name == null) {
        throw new IllegalArgumentException(
            "tool_choice: only {\"type\":\"function\",\"function\":{\"name\":...}} can be sent to"
                + " Anthropic");
      }
      anthropicChoice = object().put("type", "tool").put("name", name);
    }
    JsonNode parallel = req.get("parallel_tool_calls");
    if (parallel != null && parallel.isBoolean() && !parallel.asBoolean()) {
      if (anthropicChoice == null) {
        anthropicChoice = object().put("type", "auto");
      }
      if (!"none".equals(text(anthropicChoice, "type"))) {
        anthropicChoice.put("disable_parallel_tool_use", true);
      }
    }
    if (anthropicChoice != null) {
      out.set("tool_choice", anthropicChoice);
    }
  }

  // ---------------------------------------------------------------- response

  @Override
  public ObjectNode response(Operation operation, ObjectNode resp, String clientModel) {
    requireChat(operation);
    ObjectNode out = object();
    String id = text(resp, "id");
    out.put("id", id != null ? id : Json.newId("chatcmpl-"));
    out.put("object", "chat.completion");
    out.put("created", clock.instant().getEpochSecond());
    out.put("model", clientModel != null ? clientModel : text(resp, "model"));

    StringBuilder content = new StringBuilder();
    ArrayNode toolCalls = array();
    for (JsonNode block : resp.path("content")) {
      switch (String.valueOf(text(block, "type"))) {
        case "text" -> content.append(block.path("text").asText());
        case "tool_use" -> {
          ObjectNode call = toolCalls.addObject();
          call.put("id", text(block, "id"));
          call.put("type", "function");
          call.putObject("function")
              .put("name", text(block, "name"))
              .put("arguments", Json.write(block.has("input") ? block.get("input") : object()));
        }
        default -> {
          // thinking, redacted_thinking, server tool blocks: no OpenAI chat equivalent.
        }
      }
    }
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (content.isEmpty() && !toolCalls.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", content.toString());
    }
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
    message.putNull("refusal");
    choice.putNull("logprobs");
    putFinishReason(choice, text(resp, "stop_reason"));
    if (resp.get("usage") instanceof ObjectNode usage) {
      out.set("usage", openAiUsage(usage, 0, 0, 0, 0));
    }
    return out;
  }

  private static void putFinishReason(ObjectNode choice, String stopReason) {
    String reason = finishReason(stopReason);
    if (reason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", reason);
    }
  }

  /** Anthropic stop_reason to OpenAI finish_reason. */
  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn
    };
  }

  /**
   * OpenAI usage from an Anthropic usage object; counts absent from it fall back to the given
   * values (streams restate some counts and not others).
   */
  private static ObjectNode openAiUsage(
      JsonNode usage, long input, long cacheRead, long cacheCreation, long output) {
    input = count(usage, "input_tokens", input);
    cacheRead = count(usage, "cache_read_input_tokens", cacheRead);
    cacheCreation = count(usage, "cache_creation_input_tokens", cacheCreation);
    output = count(usage, "output_tokens", output);
    return openAiUsage(input, cacheRead, cacheCreation, output);
  }

  private static ObjectNode openAiUsage(
      long input, long cacheRead, long cacheCreation, long output) {
    long prompt = input + cacheRead + cacheCreation;
    ObjectNode u = object();
    u.put("prompt_tokens", prompt);
    u.put("completion_tokens", output);
    u.put("total_tokens", prompt + output);
    u.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
    return u;
  }

  private static long count(JsonNode usage, String field, long fallback) {
    JsonNode v = usage == null ? null : usage.get(field);
    return v != null && v.canConvertToLong() ? v.asLong() : fallback;
  }

  // ---------------------------------------------------------------- stream

  @Override
  public StreamTranslator stream(Operation operation, String clientModel) {
    requireChat(operation);
    return new ChunkStream(clientModel, false);
  }

  @Override
  public StreamTranslator stream(
      Operation operation, String clientModel, ObjectNode clientRequest) {
    requireChat(operation);
    boolean includeUsage =
        clientRequest != null
            && clientRequest.path("stream_options").path("include_usage").asBoolean(false);
    return new ChunkStream(clientModel, includeUsage);
  }

  /** Anthropic message events to OpenAI {@code chat.completion.chunk}s. */
  private final class ChunkStream implements StreamTranslator {
    private final String model;
    private final boolean includeUsage;
    private final long created = clock.instant().getEpochSecond();
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private String id;
    private boolean started;
    private boolean finishSent;
    private boolean ended;
    private long input;
    private long cacheRead;
    private long cacheCreation;
    private long output;

    ChunkStream(String model, boolean includeUsage) {
      this.model = model;
      this.includeUsage = includeUsage;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent upstreamEvent) {
      if (ended) {
        return List.of();
      }
      ObjectNode event = Json.parseObject(upstreamEvent.data()).orElse(null);
      if (event == null) {
        return List.of();
      }
      String type = text(event, "type");
      if (type == null) {
        type = upstreamEvent.event();
      }
      List<SseEvent> out = new ArrayList<>();
      switch (type == null ? "" : type) {
        case "message_start" -> {
          JsonNode message = event.path("message");
          id = text(message, "id");
          readUsage(message.get("usage"));
          start(out);
        }
        case "content_block_start" -> onBlockStart(event, out);
        case "content_block_delta" -> onBlockDelta(event, out);
        case "message_delta" -> {
          readUsage(event.get("usage"));
          String reason = finishReason(text(event.path("delta"), "stop_reason"));
          if (reason != null) {
            start(out);
            ObjectNode chunk = choiceChunk(object());
            ((ObjectNode) chunk.get("choices").get(0)).put("finish_reason", reason);
            out.add(emit(chunk));
            finishSent = true;
          }
        }
        case "message_stop" -> end(out);
        case "error" -> {
          JsonNode error = event.path("error");
          ObjectNode body = object();
          ObjectNode e = body.putObject("error");
          e.put("message", error.path("message").asText("upstream stream failed"));
          e.put("type", openAiTypeForAnthropicType(text(error, "type")));
          e.putNull("code");
          e.putNull("param");
          out.add(SseEvent.data(Json.write(body)));
          ended = true;
        }
        default -> {
          // ping and event types added to the API later carry nothing for the client.
        }
      }
      return out;
    }

    private void onBlockStart(ObjectNode event, List<SseEvent> out) {
      JsonNode block = event.path("content_block");
      String blockType = text(block, "type");
      if ("text".equals(blockType)) {
        String text = block.path("text").asText("");
        if (!text.isEmpty()) {
          start(out);
          out.add(emit(choiceChunk(object().put("content", text))));
        }
      } else if ("tool_use".equals(blockType)) {
        start(out);
        int toolIndex = toolIndexByBlock.size();
        toolIndexByBlock.put(event.path("index").asInt(), toolIndex);
        JsonNode input = block.get("input");
        String arguments =
            input != null && input.isObject() && !input.isEmpty() ? Json.write(input) : "";
        ObjectNode call = object();
        call.put("index", toolIndex);
        call.put("id", text(block, "id"));
        call.put("type", "function");
        call.putObject("function").put("name", text(block, "name")).put("arguments", arguments);
        out.add(emit(choiceChunk(toolCallsDelta(call))));
      }
    }

    private void onBlockDelta(ObjectNode event, List<SseEvent> out) {
      JsonNode delta = event.path("delta");
      switch (String.valueOf(text(delta, "type"))) {
        case "text_delta" -> {
          String text = delta.path("text").asText("");
          if (!text.isEmpty()) {
            start(out);
            out.add(emit(choiceChunk(object().put("content", text))));
          }
        }
        case "input_json_delta" -> {
          Integer toolIndex = toolIndexByBlock.get(event.path("index").asInt());
          String partial = delta.path("partial_json").asText("");
          if (toolIndex != null && !partial.isEmpty()) {
            ObjectNode call = object().put("index", toolIndex);
            call.putObject("function").put("arguments", partial);
            out.add(emit(choiceChunk(toolCallsDelta(call))));
          }
        }
        default -> {
          // thinking_delta, signature_delta, citations_delta: no chat-completions equivalent.
        }
      }
    }

    private ObjectNode toolCallsDelta(ObjectNode call) {
      ObjectNode delta = object();
      delta.putArray("tool_calls").add(call);
      return delta;
    }

    private void readUsage(JsonNode usage) {
      input = count(usage, "input_tokens", input);
      cacheRead = count(usage, "cache_read_input_tokens", cacheRead);
      cacheCreation = count(usage, "cache_creation_input_tokens", cacheCreation);
      output = count(usage, "output_tokens", output);
    }

    /** The first chunk announces the assistant role, as OpenAI's does. */
    private void start(List<SseEvent> out) {
      if (started) {
        return;
      }
      started = true;
      if (id == null) {
        id = Json.newId("chatcmpl-");
      }
      out.add(emit(choiceChunk(object().put("role", "assistant").put("content", ""))));
    }

    private void end(List<SseEvent> out) {
      start(out);
      if (includeUsage) {
        ObjectNode chunk = chunk();
        chunk.set("usage", openAiUsage(input, cacheRead, cacheCreation, output));
        out.add(emit(chunk));
      }
      out.add(SseEvent.data("[DONE]"));
      ended = true;
    }

    @Override
    public List<SseEvent> finish() {
      if (ended) {
        return List.of();
      }
      List<SseEvent> out = new ArrayList<>();
      if (finishSent) {
        // The answer is complete; only message_stop was lost.
        end(out);
        return out;
      }
      ended = true;
      ObjectNode body = object();
      ObjectNode e = body.putObject("error");
      e.put("message", "The upstream stream ended before the response was complete");
      e.put("type", "server_error");
      e.put("code", "upstream_stream_truncated");
      e.putNull("param");
      out.add(SseEvent.data(Json.write(body)));
      return out;
    }

    private ObjectNode chunk() {
      ObjectNode chunk = object();
      chunk.put("id", id);
      chunk.put("object", "chat.completion.chunk");
      chunk.put("created", created);
      chunk.put("model", model);
      chunk.putArray("choices");
      return chunk;
    }

    private ObjectNode choiceChunk(ObjectNode delta) {
      ObjectNode chunk = chunk();
      ObjectNode choice = ((ArrayNode) chunk.get("choices")).addObject();
      choice.put("index", 0);
      choice.set("delta", delta);
      choice.putNull("logprobs");
      choice.putNull("finish_reason");
      return chunk;
    }

    private SseEvent emit(ObjectNode chunk) {
      return SseEvent.data(Json.write(chunk));
    }
  }

  // ---------------------------------------------------------------- errors

  @Override
  public ObjectNode error(int status, ObjectNode upstreamError) {
    JsonNode error = upstreamError == null ? null : upstreamError.get("error");
    String message = error != null && error.isObject() ? text(error, "message") : null;
    if (message == null && error != null && error.isTextual()) {
      message = error.asText();
    }
    if (message == null) {
      message = text(upstreamError, "message");
    }
    if (message == null) {
      message = "The Anthropic upstream answered HTTP " + status;
    }
    String anthropicType = error != null ? text(error, "type") : null;
    ObjectNode out = object();
    ObjectNode e = out.putObject("error");
    e.put("message", message);
    String[] typeAndCode = openAiTypeAndCode(status, anthropicType);
    e.put("type", typeAndCode[0]);
    if (typeAndCode[1] == null) {
      e.putNull("code");
    } else {
      e.put("code", typeAndCode[1]);
    }
    e.putNull("param");
    return out;
  }

  /**
   * OpenAI error type and code for an upstream status. OpenAI's SDKs pick the exception class from
   * the HTTP status, so these only inform people and logs; they follow the names OpenAI uses.
   */
  static String[] openAiTypeAndCode(int status, String anthropicType) {
    if ("overloaded_error".equals(anthropicType)) {
      return new String[] {"server_error", "overloaded"};
    }
    return switch (status) {
      case 401 -> new String[] {"authentication_error", "invalid_api_key"};
      case 402 -> new String[] {"insufficient_quota", "insufficient_quota"};
      case 403 -> new String[] {"permission_error", "permission_denied"};
      case 404 -> new String[] {"invalid_request_error", "not_found"};
      case 408, 504 -> new String[] {"server_error", "timeout"};
      case 413 -> new String[] {"invalid_request_error", "request_too_large"};
      case 429 -> new String[] {"rate_limit_error", "rate_limit_exceeded"};
      case 503, 529 -> new String[] {"server_error", "overloaded"};
      default ->
          status >= 500
              ? new String[] {"server_error", null}
              : new String[] {"invalid_request_error", null};
    };
  }

  private static String openAiTypeForAnthropicType(String anthropicType) {
    if (anthropicType == null) {
      return "server_error";
    }
    return switch (anthropicType) {
      case "invalid_request_error", "request_too_large" -> "invalid_request_error";
      case "authentication_error" -> "authentication_error";
      case "permission_error" -> "permission_error";
      case "not_found_error" -> "invalid_request_error";
      case "rate_limit_error" -> "rate_limit_error";
      default -> "server_error"; // api_error, overloaded_error, timeouts
    };
  }

  // ---------------------------------------------------------------- small helpers

  private static ObjectNode textBlock(String text) {
    return object().put("type", "text").put("text", text);
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

  private static void copyIfPresent(JsonNode from, String field, ObjectNode to, String as) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull()) {
      to.set(as, v);
    }
  }
}
