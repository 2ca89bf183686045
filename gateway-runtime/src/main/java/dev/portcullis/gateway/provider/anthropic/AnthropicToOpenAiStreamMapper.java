package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Json.object;
import static dev.portcullis.gateway.provider.anthropic.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.anthropic.OpenAiAnthropicVocabulary.TokenCounts;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * OpenAI {@code chat.completion.chunk}s as the Anthropic message event sequence, for an Anthropic
 * client: {@code message_start}, a content block per text run or tool call, {@code message_delta}
 * with the stop reason and usage, {@code message_stop}.
 *
 * <p>OpenAI reports usage only in the last chunk, but Anthropic clients read the input count from
 * {@code message_start} (LangChain reads it only there). So {@code message_start} carries the input
 * tokens counted locally from the client's request, and {@code message_delta} carries the
 * upstream's real counts, which correct the estimate; when the upstream reports none, the estimate
 * stands.
 */
final class AnthropicToOpenAiStreamMapper implements StreamTranslator {
  private final String model;
  private final LongSupplier inputTokenCount;
  private long estimatedInputTokens;

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

  /**
   * @param model the client's model name, echoed in {@code message_start}
   * @param inputTokenCount the request's input tokens counted locally (0 when unknown), asked once,
   *     when {@code message_start} is sent
   */
  AnthropicToOpenAiStreamMapper(String model, LongSupplier inputTokenCount) {
    this.model = model;
    this.inputTokenCount = inputTokenCount;
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
      out.add(event("error", AnthropicToOpenAiErrorMapper.streamEvent(chunk)));
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
        stopReason = OpenAiAnthropicVocabulary.anthropicStopReason(finish);
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
      openBlock(OpenAiAnthropicContent.textBlock(""), true, out);
    }
    ObjectNode delta = object().put("type", "text_delta").put("text", text);
    out.add(event("content_block_delta", blockDelta(openBlock, delta)));
  }

  private void onToolCall(JsonNode call, List<SseEvent> out) {
    String id = text(call, "id");
    // Without an index, a fragment with an id is a new call and one without continues the last.
    int toolIndex = call.path("index").asInt(id != null ? blockByToolIndex.size() : lastToolIndex);
    lastToolIndex = toolIndex;
    JsonNode fn = call.path("function");
    Integer block = blockByToolIndex.get(toolIndex);
    // Some servers repeat the id on every fragment; only a new id starts a new call.
    if (block == null || (id != null && !id.equals(idByToolIndex.get(toolIndex)))) {
      closeBlock(out);
      // The arguments follow as input_json_deltas; the block starts with an empty input.
      ObjectNode start = OpenAiAnthropicContent.toolUse(call, object());
      start.put("name", fn.path("name").asText(""));
      openBlock(start, false, out);
      block = openBlock;
      blockByToolIndex.put(toolIndex, block);
      idByToolIndex.put(toolIndex, start.get("id").asText());
    }
    String arguments = text(fn, "arguments");
    if (arguments != null && !arguments.isEmpty()) {
      ObjectNode delta = object().put("type", "input_json_delta").put("partial_json", arguments);
      out.add(event("content_block_delta", blockDelta(block, delta)));
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
    estimatedInputTokens = inputTokenCount.getAsLong();
    ObjectNode message = object();
    message.put("id", OpenAiAnthropicContent.anthropicMessageId(openAiId));
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", estimatedInputTokens).put("output_tokens", 0);
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
    TokenCounts counts =
        usage != null
            ? TokenCounts.fromOpenAi(usage)
            : new TokenCounts(estimatedInputTokens, 0, 0, 0);
    e.set("usage", counts.toAnthropic());
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
      out.add(event("error", AnthropicToOpenAiErrorMapper.truncatedStream()));
      ended = true;
    }
    return out;
  }

  private static ObjectNode blockDelta(int index, ObjectNode delta) {
    ObjectNode e = object().put("type", "content_block_delta").put("index", index);
    e.set("delta", delta);
    return e;
  }

  private static SseEvent event(String name, ObjectNode body) {
    return SseEvent.named(name, Json.write(body));
  }
}
