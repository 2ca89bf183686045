package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Json.object;
import static dev.portcullis.gateway.provider.anthropic.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.anthropic.OpenAiAnthropicVocabulary.TokenCounts;
import dev.portcullis.gateway.sse.SseEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Anthropic message event stream as OpenAI {@code chat.completion.chunk}s, for an OpenAI
 * client. The first chunk announces the assistant role; text and {@code input_json_delta}s become
 * content and tool-call deltas; {@code message_delta}'s stop reason becomes the finish chunk; a
 * usage chunk precedes {@code [DONE]} when the client asked for one. Thinking deltas are left out.
 */
final class OpenAiToAnthropicStreamMapper implements StreamTranslator {
  private final String model;
  private final boolean includeUsage;
  private final long created;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private String id;
  private boolean started;
  private boolean finishSent;
  private boolean ended;
  private TokenCounts usage = TokenCounts.ZERO;

  OpenAiToAnthropicStreamMapper(String model, boolean includeUsage, Clock clock) {
    this.model = model;
    this.includeUsage = includeUsage;
    this.created = clock.instant().getEpochSecond();
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
        usage = usage.withAnthropic(message.get("usage"));
        start(out);
      }
      case "content_block_start" -> onBlockStart(event, out);
      case "content_block_delta" -> onBlockDelta(event, out);
      case "message_delta" -> {
        usage = usage.withAnthropic(event.get("usage"));
        String reason =
            OpenAiAnthropicVocabulary.openAiFinishReason(text(event.path("delta"), "stop_reason"));
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
        out.add(emit(OpenAiToAnthropicErrorMapper.streamEvent(event.path("error"))));
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
      // The input arrives as input_json_deltas; a non-empty start input is already whole.
      JsonNode input = block.get("input");
      ObjectNode call = object().put("index", toolIndex);
      call.setAll(OpenAiAnthropicContent.toolCall(block));
      if (input == null || !input.isObject() || input.isEmpty()) {
        ((ObjectNode) call.get("function")).put("arguments", "");
      }
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

  private static ObjectNode toolCallsDelta(ObjectNode call) {
    ObjectNode delta = object();
    delta.putArray("tool_calls").add(call);
    return delta;
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
      chunk.set("usage", usage.toOpenAi());
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
    out.add(emit(OpenAiToAnthropicErrorMapper.truncatedStream()));
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

  private static SseEvent emit(ObjectNode chunk) {
    return SseEvent.data(Json.write(chunk));
  }
}
