package dev.portcullis.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a stored answer (the non-stream shape) into the server-sent events a streaming caller
 * expects in its format, so a cached answer can answer a stream request.
 *
 * <p>OpenAI chat: {@code chat.completion.chunk}s — the role first, the content in a few chunks,
 * each tool call's id and name then its arguments, the finish reason in a last chunk with an empty
 * delta, a usage chunk with no choices only when the caller asked for it ({@code
 * stream_options.include_usage}), then {@code data: [DONE]}. OpenAI completions likewise with
 * {@code text_completion} chunks. Anthropic: {@code message_start} (with the input usage), for each
 * block {@code content_block_start}/{@code _delta}/{@code _stop} (text in {@code text_delta}s, tool
 * input in {@code input_json_delta}s, thinking and its signature), {@code message_delta} with the
 * stop reason and usage, {@code message_stop}.
 *
 * <p>Text is cut into {@value #PIECES} pieces at code-point boundaries: enough for a client to see
 * a real stream, few enough that replay costs next to nothing.
 */
public final class StreamReplayer {
  static final int PIECES = 4;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StreamReplayer() {}

  /**
   * The events that replay {@code answer} to a streaming caller.
   *
   * @param includeUsage the caller's {@code stream_options.include_usage}; Anthropic streams always
   *     carry usage
   */
  public static List<SseEvent> replay(
      CachedOperation operation, ObjectNode answer, boolean includeUsage) {
    return switch (operation) {
      case OPENAI_CHAT_COMPLETIONS -> chatCompletion(answer, includeUsage);
      case OPENAI_COMPLETIONS -> textCompletion(answer, includeUsage);
      case ANTHROPIC_MESSAGES -> anthropicMessage(answer);
    };
  }

  /** Whether a request asked for a usage chunk at the end of an OpenAI stream. */
  public static boolean includeUsage(ObjectNode request) {
    return request.path("stream_options").path("include_usage").asBoolean(false);
  }

  private static List<SseEvent> chatCompletion(ObjectNode answer, boolean includeUsage) {
    List<SseEvent> events = new ArrayList<>();
    for (JsonNode choice : answer.path("choices")) {
      int index = choice.path("index").asInt(0);
      JsonNode message = choice.path("message");
      ObjectNode first = NODES.objectNode();
      first.put("role", message.path("role").asText("assistant"));
      first.put("content", "");
      first.putNull("refusal");
      events.add(chatChunk(answer, index, first, null));
      if (message.hasNonNull("content") && message.get("content").isTextual()) {
        for (String piece : pieces(message.get("content").textValue())) {
          ObjectNode delta = NODES.objectNode();
          delta.put("content", piece);
          events.add(chatChunk(answer, index, delta, null));
        }
      }
      if (message.hasNonNull("refusal")) {
        for (String piece : pieces(message.get("refusal").asText())) {
          ObjectNode delta = NODES.objectNode();
          delta.put("refusal", piece);
          events.add(chatChunk(answer, index, delta, null));
        }
      }
      int callIndex = 0;
      for (JsonNode call : message.path("tool_calls")) {
        ObjectNode opening = NODES.objectNode();
        ObjectNode openingCall = opening.putArray("tool_calls").addObject();
        openingCall.put("index", callIndex);
        openingCall.set("id", call.get("id"));
        openingCall.put("type", call.path("type").asText("function"));
        ObjectNode function = openingCall.putObject("function");
        function.put("name", call.path("function").path("name").asText());
        function.put("arguments", "");
        events.add(chatChunk(answer, index, opening, null));
        for (String piece : pieces(call.path("function").path("arguments").asText(""))) {
          ObjectNode delta = NODES.objectNode();
          ObjectNode part = delta.putArray("tool_calls").addObject();
          part.put("index", callIndex);
          part.putObject("function").put("arguments", piece);
          events.add(chatChunk(answer, index, delta, null));
        }
        callIndex++;
      }
      events.add(chatChunk(answer, index, NODES.objectNode(), choice.get("finish_reason")));
    }
    if (includeUsage && answer.hasNonNull("usage")) {
      ObjectNode usage = chunkHeader(answer, "chat.completion.chunk");
      usage.putArray("choices");
      usage.set("usage", answer.get("usage"));
      events.add(json(null, usage));
    }
    events.add(SseEvent.data("[DONE]"));
    return events;
  }

  private static SseEvent chatChunk(
      ObjectNode answer, int index, ObjectNode delta, JsonNode finishReason) {
    ObjectNode chunk = chunkHeader(answer, "chat.completion.chunk");
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", index);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.set("finish_reason", finishReason == null ? NODES.nullNode() : finishReason);
    return json(null, chunk);
  }

  private static List<SseEvent> textCompletion(ObjectNode answer, boolean includeUsage) {
    List<SseEvent> events = new ArrayList<>();
    for (JsonNode choice : answer.path("choices")) {
      int index = choice.path("index").asInt(0);
      for (String piece : pieces(choice.path("text").asText(""))) {
        events.add(textChunk(answer, index, piece, null));
      }
      events.add(textChunk(answer, index, "", choice.get("finish_reason")));
    }
    if (includeUsage && answer.hasNonNull("usage")) {
      ObjectNode usage = chunkHeader(answer, "text_completion");
      usage.putArray("choices");
      usage.set("usage", answer.get("usage"));
      events.add(json(null, usage));
    }
    events.add(SseEvent.data("[DONE]"));
    return events;
  }

  private static SseEvent textChunk(
      ObjectNode answer, int index, String text, JsonNode finishReason) {
    ObjectNode chunk = chunkHeader(answer, "text_completion");
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("text", text);
    choice.put("index", index);
    choice.putNull("logprobs");
    choice.set("finish_reason", finishReason == null ? NODES.nullNode() : finishReason);
    return json(null, chunk);
  }

  private static ObjectNode chunkHeader(ObjectNode answer, String object) {
    ObjectNode chunk = NODES.objectNode();
    chunk.set("id", answer.get("id"));
    chunk.put("object", object);
    chunk.set("created", answer.get("created"));
    chunk.set("model", answer.get("model"));
    if (answer.hasNonNull("system_fingerprint")) {
      chunk.set("system_fingerprint", answer.get("system_fingerprint"));
    }
    return chunk;
  }

  private static List<SseEvent> anthropicMessage(ObjectNode answer) {
    List<SseEvent> events = new ArrayList<>();
    ObjectNode start = answer.deepCopy();
    start.putArray("content");
    start.putNull("stop_reason");
    start.putNull("stop_sequence");
    ObjectNode startUsage =
        answer.get("usage") instanceof ObjectNode usage ? usage.deepCopy() : NODES.objectNode();
    startUsage.put("output_tokens", 0);
    start.set("usage", startUsage);
    ObjectNode messageStart = NODES.objectNode();
    messageStart.put("type", "message_start");
    messageStart.set("message", start);
    events.add(json("message_start", messageStart));

    int index = 0;
    for (JsonNode block : answer.path("content")) {
      String type = block.path("type").asText();
      ObjectNode opening;
      List<ObjectNode> deltas = new ArrayList<>();
      switch (type) {
        case "text" -> {
          opening = NODES.objectNode().put("type", "text").put("text", "");
          for (String piece : pieces(block.path("text").asText(""))) {
            deltas.add(NODES.objectNode().put("type", "text_delta").put("text", piece));
          }
        }
        case "tool_use", "server_tool_use" -> {
          opening = block.deepCopy();
          opening.putObject("input");
          String input = block.has("input") ? block.get("input").toString() : "{}";
          for (String piece : pieces(input)) {
            deltas.add(
                NODES.objectNode().put("type", "input_json_delta").put("partial_json", piece));
          }
        }
        case "thinking" -> {
          opening = NODES.objectNode().put("type", "thinking").put("thinking", "");
          opening.put("signature", "");
          for (String piece : pieces(block.path("thinking").asText(""))) {
            deltas.add(NODES.objectNode().put("type", "thinking_delta").put("thinking", piece));
          }
          if (block.hasNonNull("signature")) {
            deltas.add(
                NODES
                    .objectNode()
                    .put("type", "signature_delta")
                    .put("signature", block.get("signature").asText()));
          }
        }
        default ->
            opening = block.deepCopy(); // e.g. redacted_thinking: sent whole, as upstream does
      }
      ObjectNode blockStart = NODES.objectNode();
      blockStart.put("type", "content_block_start");
      blockStart.put("index", index);
      blockStart.set("content_block", opening);
      events.add(json("content_block_start", blockStart));
      for (ObjectNode delta : deltas) {
        ObjectNode event = NODES.objectNode();
        event.put("type", "content_block_delta");
        event.put("index", index);
        event.set("delta", delta);
        events.add(json("content_block_delta", event));
      }
      ObjectNode blockStop = NODES.objectNode();
      blockStop.put("type", "content_block_stop");
      blockStop.put("index", index);
      events.add(json("content_block_stop", blockStop));
      index++;
    }

    ObjectNode messageDelta = NODES.objectNode();
    messageDelta.put("type", "message_delta");
    ObjectNode delta = messageDelta.putObject("delta");
    delta.set("stop_reason", answer.get("stop_reason"));
    delta.set(
        "stop_sequence",
        answer.hasNonNull("stop_sequence") ? answer.get("stop_sequence") : NODES.nullNode());
    messageDelta.set(
        "usage", answer.get("usage") instanceof ObjectNode usage ? usage : NODES.objectNode());
    events.add(json("message_delta", messageDelta));
    events.add(json("message_stop", NODES.objectNode().put("type", "message_stop")));
    return events;
  }

  private static SseEvent json(String name, ObjectNode data) {
    return new SseEvent(name, data.toString());
  }

  /** {@code text} in up to {@link #PIECES} pieces, never splitting a surrogate pair. */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>(PIECES);
    if (text.isEmpty()) {
      return out;
    }
    int size = Math.max(1, (text.length() + PIECES - 1) / PIECES);
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(text.length(), start + size);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end++;
      }
      out.add(text.substring(start, end));
      start = end;
    }
    return out;
  }
}
