package dev.portcullis.gateway.provider.responses;

import static dev.portcullis.gateway.provider.responses.ResponsesChatContent.functionCallItem;
import static dev.portcullis.gateway.provider.responses.ResponsesChatContent.itemId;
import static dev.portcullis.gateway.provider.responses.ResponsesChatContent.messageItem;
import static dev.portcullis.gateway.provider.responses.ResponsesChatContent.textPart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.sse.SseEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat completion chunks as Responses API stream events, for one stream: {@code response.created}
 * and {@code response.in_progress} on the first chunk; a message item whose text grows by {@code
 * response.output_text.delta}; one {@code function_call} item per tool call whose arguments grow by
 * {@code response.function_call_arguments.delta}; the items closed and {@code response.completed}
 * (or {@code response.incomplete}) with the whole response and its usage at {@code [DONE]}. A
 * stream that stops before a finish reason, or carries an error, ends with {@code response.failed}.
 */
final class ResponsesToChatStreamMapper implements StreamTranslator {
  private final String clientModel;
  private final ArrayNode output = Jackson.MAPPER.createArrayNode();
  private final Map<Integer, OpenCall> callsByChatIndex = new HashMap<>();
  private final List<OpenCall> openCalls = new ArrayList<>();
  private String id;
  private long createdAt;
  private int sequence;
  private OpenText text;
  private String finishReason;
  private JsonNode usage;
  private boolean ended;

  private record OpenText(int outputIndex, String id, StringBuilder text) {}

  private record OpenCall(
      int outputIndex, String id, String callId, String name, StringBuilder arguments) {}

  ResponsesToChatStreamMapper(String clientModel) {
    this.clientModel = clientModel;
  }

  @Override
  public List<SseEvent> onEvent(SseEvent upstreamEvent) {
    List<SseEvent> out = new ArrayList<>();
    if (ended || upstreamEvent.data() == null || upstreamEvent.data().isBlank()) {
      return out;
    }
    if ("[DONE]".equals(upstreamEvent.data().strip())) {
      if (finishReason == null && usage == null && id == null) {
        fail(out, "The upstream stream ended before the response began");
      } else {
        complete(out);
      }
      return out;
    }
    JsonNode chunk;
    try {
      chunk = Jackson.MAPPER.readTree(upstreamEvent.data());
    } catch (IOException e) {
      fail(out, "The upstream sent an event that is not JSON");
      return out;
    }
    begin(chunk, out);
    if (chunk.has("error")) {
      fail(out, chunk.path("error").path("message").asText("The upstream stream failed"));
      return out;
    }
    if (chunk.get("usage") instanceof ObjectNode u) {
      usage = u;
    }
    JsonNode choice = chunk.path("choices").path(0);
    JsonNode delta = choice.path("delta");
    JsonNode content = delta.get("content");
    if (content != null && content.isTextual() && !content.textValue().isEmpty()) {
      textDelta(content.textValue(), out);
    }
    for (JsonNode call : delta.path("tool_calls")) {
      callDelta(call, out);
    }
    JsonNode finish = choice.get("finish_reason");
    if (finish != null && finish.isTextual()) {
      finishReason = finish.textValue();
    }
    return out;
  }

  @Override
  public List<SseEvent> finish() {
    List<SseEvent> out = new ArrayList<>();
    if (ended) {
      return out;
    }
    if (finishReason != null) {
      begin(null, out);
      complete(out);
    } else {
      begin(null, out);
      fail(out, "The upstream stream ended before the response was complete");
    }
    return out;
  }

  private void begin(JsonNode chunk, List<SseEvent> out) {
    if (id != null) {
      return;
    }
    id = ResponsesChatContent.responseId(chunk == null ? null : chunk.path("id").asText(null));
    createdAt =
        chunk != null && chunk.has("created")
            ? chunk.path("created").asLong()
            : System.currentTimeMillis() / 1000;
    ObjectNode response =
        ResponsesChatContent.response(id, createdAt, clientModel, "in_progress", null);
    emit(out, "response.created", event().set("response", response));
    emit(out, "response.in_progress", event().set("response", response.deepCopy()));
  }

  private void textDelta(String delta, List<SseEvent> out) {
    if (text == null) {
      int index = nextIndex();
      text = new OpenText(index, itemId("msg_", id, index), new StringBuilder());
      emit(
          out,
          "response.output_item.added",
          event()
              .put("output_index", index)
              .set("item", messageItem(text.id(), "in_progress", null, null)));
      emit(
          out,
          "response.content_part.added",
          event()
              .put("item_id", text.id())
              .put("output_index", index)
              .put("content_index", 0)
              .set("part", textPart("")));
    }
    text.text().append(delta);
    ObjectNode event =
        event()
            .put("item_id", text.id())
            .put("output_index", text.outputIndex())
            .put("content_index", 0)
            .put("delta", delta);
    event.putArray("logprobs");
    emit(out, "response.output_text.delta", event);
  }

  private void callDelta(JsonNode call, List<SseEvent> out) {
    int chatIndex = call.path("index").asInt(0);
    OpenCall open = callsByChatIndex.get(chatIndex);
    JsonNode function = call.path("function");
    if (open == null) {
      closeText(out);
      int index = nextIndex();
      open =
          new OpenCall(
              index,
              itemId("fc_", id, index),
              call.path("id").asText("call_" + id + "_" + chatIndex),
              function.path("name").asText(""),
              new StringBuilder());
      callsByChatIndex.put(chatIndex, open);
      openCalls.add(open);
      emit(
          out,
          "response.output_item.added",
          event()
              .put("output_index", index)
              .set(
                  "item",
                  functionCallItem(open.id(), "in_progress", open.callId(), open.name(), "")));
    }
    String arguments = function.path("arguments").asText("");
    if (!arguments.isEmpty()) {
      open.arguments().append(arguments);
      emit(
          out,
          "response.function_call_arguments.delta",
          event()
              .put("item_id", open.id())
              .put("output_index", open.outputIndex())
              .put("delta", arguments));
    }
  }

  private int nextIndex() {
    return (text == null ? 0 : 1) + openCalls.size() + output.size();
  }

  private void closeText(List<SseEvent> out) {
    if (text == null) {
      return;
    }
    String whole = text.text().toString();
    ObjectNode done =
        event()
            .put("item_id", text.id())
            .put("output_index", text.outputIndex())
            .put("content_index", 0)
            .put("text", whole);
    done.putArray("logprobs");
    emit(out, "response.output_text.done", done);
    emit(
        out,
        "response.content_part.done",
        event()
            .put("item_id", text.id())
            .put("output_index", text.outputIndex())
            .put("content_index", 0)
            .set("part", textPart(whole)));
    ObjectNode item = messageItem(text.id(), "completed", whole, null);
    emit(
        out,
        "response.output_item.done",
        event().put("output_index", text.outputIndex()).set("item", item));
    output.add(item);
    text = null;
  }

  private void closeCalls(List<SseEvent> out) {
    for (OpenCall call : openCalls) {
      String arguments = call.arguments().isEmpty() ? "{}" : call.arguments().toString();
      emit(
          out,
          "response.function_call_arguments.done",
          event()
              .put("item_id", call.id())
              .put("output_index", call.outputIndex())
              .put("name", call.name())
              .put("arguments", arguments));
      ObjectNode item =
          functionCallItem(call.id(), "completed", call.callId(), call.name(), arguments);
      emit(
          out,
          "response.output_item.done",
          event().put("output_index", call.outputIndex()).set("item", item));
      output.add(item);
    }
    openCalls.clear();
    callsByChatIndex.clear();
  }

  private void complete(List<SseEvent> out) {
    closeText(out);
    closeCalls(out);
    String ending = ResponsesChatContent.ending(finishReason);
    String status = ResponsesChatVocabulary.status(ending);
    ObjectNode response = ResponsesChatContent.response(id, createdAt, clientModel, status, ending);
    response.set("output", output);
    ObjectNode responseUsage = ResponsesChatContent.usage(usage);
    if (responseUsage != null) {
      response.set("usage", responseUsage);
    }
    emit(out, "response." + status, event().set("response", response));
    ended = true;
  }

  private void fail(List<SseEvent> out, String message) {
    begin(null, out);
    ObjectNode response = ResponsesChatContent.response(id, createdAt, clientModel, "failed", null);
    response.putObject("error").put("code", "server_error").put("message", message);
    ObjectNode responseUsage = ResponsesChatContent.usage(usage);
    if (responseUsage != null) {
      response.set("usage", responseUsage);
    }
    emit(out, "response.failed", event().set("response", response));
    ended = true;
  }

  private static ObjectNode event() {
    return Jackson.MAPPER.createObjectNode();
  }

  /** Names the event, types its data and numbers it, as the Responses API does. */
  private void emit(List<SseEvent> out, String type, JsonNode body) {
    ObjectNode data = Jackson.MAPPER.createObjectNode();
    data.put("type", type);
    data.put("sequence_number", sequence++);
    data.setAll((ObjectNode) body);
    out.add(SseEvent.named(type, data.toString()));
  }
}
