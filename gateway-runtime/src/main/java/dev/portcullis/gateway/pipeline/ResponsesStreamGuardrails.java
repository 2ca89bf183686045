package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.guardrail.GuardrailDenial;
import dev.portcullis.gateway.guardrail.OutputStreamScanner;
import dev.portcullis.gateway.guardrail.RequestGuardrails;
import dev.portcullis.gateway.guardrail.ScanStep;
import dev.portcullis.gateway.guardrail.StreamedAnswer;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The output guardrails of a streamed Responses API answer ({@code /v1/responses}, from an upstream
 * that speaks it or translated from chat): {@code response.output_text.delta} and {@code
 * response.function_call_arguments.delta} go through the request's scanners (one per text part and
 * one per function call, sharing its placeholders), so only what a match could still span is held
 * back. The {@code .done} events release the held rest as one more delta, and they, {@code
 * response.content_part.done}, {@code response.output_item.done} and the final {@code
 * response.completed}/{@code response.incomplete} carry the released (redacted) text, so the
 * assembled answer is what the deltas said. Events are renumbered ({@code sequence_number}) as
 * deltas are held back or added. The whole-text checks judge the response once, all its text parts
 * and function calls ({@link StreamedAnswer}), at {@code response.completed} (or an upstream's
 * {@code response.incomplete}); a denial there replaces that event with the refusal below, whose
 * final response holds the refusal item only.
 *
 * <p>On Deny: a message item with a {@code refusal} part (the policy's message) is added with its
 * {@code output_item.added}, {@code content_part.added}, {@code refusal.delta}, {@code
 * refusal.done}, {@code content_part.done} and {@code output_item.done}, then {@code
 * response.incomplete} with {@code incomplete_details.reason: "content_filter"} ends the stream —
 * the same answer a translated chat {@code content_filter} stream becomes.
 */
final class ResponsesStreamGuardrails {
  private final StreamedAnswer answer;
  private final Map<String, OutputStreamScanner> scanners = new HashMap<>();
  private final Map<String, StringBuilder> released = new HashMap<>();
  private final List<JsonNode> doneItems = new ArrayList<>();
  private ObjectNode response;
  private int nextOutputIndex;
  private int sequence;
  private boolean stopped;

  ResponsesStreamGuardrails(RequestGuardrails guardrails) {
    this.answer = guardrails.streamedAnswer();
  }

  boolean stopped() {
    return stopped;
  }

  void event(SseEvent event, ObjectNode data, List<SseEvent> out) {
    if (data == null) {
      out.add(event);
      return;
    }
    String type = data.path("type").asText();
    String item = data.path("item_id").asText();
    switch (type) {
      case "response.created", "response.in_progress" -> {
        if (data.path("response") instanceof ObjectNode r) {
          response = r.deepCopy();
        }
      }
      case "response.output_item.added" ->
          nextOutputIndex = Math.max(nextOutputIndex, data.path("output_index").asInt() + 1);
      case "response.output_text.delta" -> {
        if (!delta(textKey(data), false, data, "delta", out)) {
          return;
        }
      }
      case "response.function_call_arguments.delta" -> {
        if (!delta(item, true, data, "delta", out)) {
          return;
        }
      }
      case "response.output_text.done" -> {
        if (!done(textKey(data), data, "text", "response.output_text.delta", out)) {
          return;
        }
      }
      case "response.function_call_arguments.done" -> {
        if (!done(item, data, "arguments", "response.function_call_arguments.delta", out)) {
          return;
        }
      }
      case "response.content_part.done" -> {
        StringBuilder text = released.get(textKey(data));
        if (text != null && data.path("part") instanceof ObjectNode part && part.has("text")) {
          part.put("text", text.toString());
        }
      }
      case "response.output_item.done" -> {
        if (data.path("item") instanceof ObjectNode done) {
          rewriteItem(done);
          doneItems.add(done);
        }
      }
      case "response.completed", "response.incomplete" -> {
        GuardrailDenial denial = answer.finish();
        if (denial != null) {
          doneItems.clear(); // the whole answer is withheld, as on a whole denied answer
          refusal(denial, out);
          return;
        }
        for (JsonNode i : data.path("response").path("output")) {
          if (i instanceof ObjectNode o) {
            rewriteItem(o);
          }
        }
      }
      default -> {}
    }
    emit(event.event() == null ? type : event.event(), data, out);
  }

  /** Scans one delta; false when it is held back entirely or ended the stream with a refusal. */
  private boolean delta(
      String key, boolean arguments, ObjectNode data, String field, List<SseEvent> out) {
    OutputStreamScanner scanner =
        scanners.computeIfAbsent(key, k -> arguments ? answer.arguments() : answer.text());
    ScanStep step = scanner.accept(data.path(field).asText(""));
    if (step.denied()) {
      refusal(step.denial(), out);
      return false;
    }
    if (step.release().isEmpty()) {
      return false;
    }
    released.computeIfAbsent(key, k -> new StringBuilder()).append(step.release());
    data.put(field, step.release());
    return true;
  }

  /**
   * A text part or a function call's arguments ended: its held rest goes out as one more delta
   * before the done event, which then carries everything released.
   */
  private boolean done(
      String key, ObjectNode data, String field, String deltaType, List<SseEvent> out) {
    OutputStreamScanner scanner = scanners.remove(key);
    if (scanner == null) {
      return true;
    }
    ScanStep end = scanner.finish();
    if (end.denied()) {
      refusal(end.denial(), out);
      return false;
    }
    StringBuilder text = released.computeIfAbsent(key, k -> new StringBuilder());
    if (!end.release().isEmpty()) {
      ObjectNode rest = RequestBody.JSON.createObjectNode().put("type", deltaType);
      for (String f : List.of("item_id", "output_index", "content_index")) {
        if (data.has(f)) {
          rest.set(f, data.get(f));
        }
      }
      rest.put("delta", end.release());
      if (deltaType.equals("response.output_text.delta")) {
        rest.putArray("logprobs");
      }
      emit(deltaType, rest, out);
      text.append(end.release());
    }
    data.put(field, text.toString());
    return true;
  }

  /** Puts the released text and arguments into a finished output item. */
  private void rewriteItem(ObjectNode item) {
    String id = item.path("id").asText();
    if ("function_call".equals(item.path("type").asText())) {
      StringBuilder args = released.get(id);
      if (args != null) {
        item.put("arguments", args.toString());
      }
      return;
    }
    JsonNode content = item.path("content");
    for (int i = 0; i < content.size(); i++) {
      StringBuilder text = released.get(id + "/" + i);
      if (text != null && content.get(i) instanceof ObjectNode part && part.has("text")) {
        part.put("text", text.toString());
      }
    }
  }

  private void refusal(GuardrailDenial denial, List<SseEvent> out) {
    String message = denial.message();
    int index = nextOutputIndex;
    String id = "msg_guardrail_refusal";
    ObjectNode item = AnswerGuardrails.responsesRefusalItem(message);
    ObjectNode open = item.deepCopy().put("status", "in_progress");
    open.putArray("content");
    ObjectNode added =
        RequestBody.JSON.createObjectNode().put("type", "response.output_item.added");
    added.put("output_index", index).set("item", open);
    emit("response.output_item.added", added, out);
    ObjectNode partAdded = part("response.content_part.added", id, index);
    partAdded.putObject("part").put("type", "refusal").put("refusal", "");
    emit("response.content_part.added", partAdded, out);
    emit(
        "response.refusal.delta",
        part("response.refusal.delta", id, index).put("delta", message),
        out);
    emit(
        "response.refusal.done",
        part("response.refusal.done", id, index).put("refusal", message),
        out);
    ObjectNode partDone = part("response.content_part.done", id, index);
    partDone.putObject("part").put("type", "refusal").put("refusal", message);
    emit("response.content_part.done", partDone, out);
    ObjectNode itemDone =
        RequestBody.JSON.createObjectNode().put("type", "response.output_item.done");
    itemDone.put("output_index", index).set("item", item);
    emit("response.output_item.done", itemDone, out);
    ObjectNode end = response == null ? RequestBody.JSON.createObjectNode() : response;
    end.put("status", "incomplete");
    end.putObject("incomplete_details").put("reason", "content_filter");
    ArrayNode output = end.putArray("output");
    doneItems.forEach(output::add);
    output.add(item);
    ObjectNode incomplete = RequestBody.JSON.createObjectNode().put("type", "response.incomplete");
    incomplete.set("response", end);
    emit("response.incomplete", incomplete, out);
    stopped = true;
  }

  private static ObjectNode part(String type, String item, int index) {
    return RequestBody.JSON
        .createObjectNode()
        .put("type", type)
        .put("item_id", item)
        .put("output_index", index)
        .put("content_index", 0);
  }

  private static String textKey(JsonNode data) {
    return data.path("item_id").asText() + "/" + data.path("content_index").asInt(0);
  }

  /** Numbers the event in the order the client gets it and sends it under its type's name. */
  private void emit(String name, ObjectNode data, List<SseEvent> out) {
    data.put("sequence_number", sequence++);
    out.add(SseEvent.named(name, RequestBody.utf8(RequestBody.serialize(data))));
  }
}
