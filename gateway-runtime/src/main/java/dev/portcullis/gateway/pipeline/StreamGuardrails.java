package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.guardrail.GuardrailDenial;
import dev.portcullis.gateway.guardrail.OutputStreamScanner;
import dev.portcullis.gateway.guardrail.RequestGuardrails;
import dev.portcullis.gateway.guardrail.ScanStep;
import dev.portcullis.gateway.guardrail.StreamedAnswer;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.sse.SseEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output guardrails of one streamed answer, as a stage over the client-format events: it wraps
 * the stream's translator (the identity for a same-format stream) and rewrites each event's text
 * delta to what the request's {@link OutputStreamScanner} releases, so only the characters a match
 * could still span are held back. The held-back rest is released before the text ends (OpenAI: the
 * chunk with the {@code finish_reason}; Anthropic: the text block's {@code content_block_stop}).
 * The whole-text checks judge each answer once, at its end ({@link StreamedAnswer#finish}): an
 * OpenAI choice at its {@code finish_reason} chunk (before that chunk's held-back rest goes out),
 * an Anthropic message at its {@code message_delta} (its blocks are all closed by then).
 *
 * <p>On Deny it sends the format's refusal end (OpenAI a chunk with {@code finish_reason:
 * "content_filter"} and the {@code refusal} text, then {@code [DONE]}; Anthropic {@code
 * content_block_stop}, {@code message_delta} with {@code stop_reason: "refusal"}, {@code
 * message_stop}) and reports {@link #stopped()}: the relay ends the stream there and closing the
 * upstream response cancels the upstream call.
 *
 * <p>Channels: one {@link StreamedAnswer} per OpenAI choice and per Anthropic message, with one
 * scanner per OpenAI choice's text and per Anthropic text block, and one per tool call's arguments
 * — OpenAI {@code tool_calls[].function.arguments} deltas, Anthropic {@code input_json_delta}
 * {@code partial_json} — all sharing the request's placeholders, so a deny phrase split across
 * argument deltas is never delivered and redaction works there as in text. A tool call's held-back
 * rest is released before the choice's last chunk (OpenAI) or at the block's {@code
 * content_block_stop} (Anthropic).
 *
 * <p>Cost: one JSON parse and serialization per event that carries text, on guarded routes only.
 */
final class StreamGuardrails implements StreamTranslator, StreamRelay.Stopping {
  private final StreamTranslator inner;
  private final RequestGuardrails guardrails;
  private final boolean anthropic;
  private final boolean completions;
  private final ResponsesStreamGuardrails responses;

  /** OpenAI: per choice; Anthropic: the message's (key 0). */
  private final Map<Integer, StreamedAnswer> answers = new HashMap<>();

  /** OpenAI: the text per choice; Anthropic: per content block. */
  private final Map<Integer, OutputStreamScanner> scanners = new HashMap<>();

  /** OpenAI: per choice (high half) and tool call (low half); Anthropic uses {@link #scanners}. */
  private final Map<Long, OutputStreamScanner> argumentScanners = new TreeMap<>();

  private ObjectNode lastChunk;
  private final Map<Integer, String> lastDeltaType = new HashMap<>();
  private boolean stopped;

  StreamGuardrails(
      StreamTranslator inner, RequestGuardrails guardrails, WireFormat client, Operation op) {
    this.inner = inner;
    this.guardrails = guardrails;
    this.anthropic = client == WireFormat.ANTHROPIC;
    this.completions = op == Operation.COMPLETIONS;
    this.responses = op == Operation.RESPONSES ? new ResponsesStreamGuardrails(guardrails) : null;
  }

  @Override
  public boolean stopped() {
    return stopped || (responses != null && responses.stopped());
  }

  @Override
  public List<SseEvent> onEvent(SseEvent upstreamEvent) {
    return guard(inner.onEvent(upstreamEvent));
  }

  @Override
  public List<SseEvent> finish() {
    return guard(inner.finish());
  }

  private List<SseEvent> guard(List<SseEvent> events) {
    List<SseEvent> out = new ArrayList<>(events.size() + 1);
    for (SseEvent event : events) {
      if (stopped()) {
        break;
      }
      if (responses != null) {
        responses.event(event, parse(event.data()), out);
      } else if (anthropic) {
        anthropicEvent(event, out);
      } else {
        openAiEvent(event, out);
      }
    }
    return out;
  }

  // ---- OpenAI chat and completions chunks

  private void openAiEvent(SseEvent event, List<SseEvent> out) {
    ObjectNode chunk = parse(event.data());
    if (chunk == null || !(chunk.path("choices") instanceof ArrayNode choices)) {
      out.add(event); // [DONE], comments
      return;
    }
    lastChunk = chunk;
    boolean changed = false;
    for (JsonNode c : choices) {
      if (!(c instanceof ObjectNode choice)) {
        continue;
      }
      int index = choice.path("index").asInt(0);
      boolean ends = !choice.path("finish_reason").isNull() && choice.has("finish_reason");
      ObjectNode holder =
          completions ? choice : choice.path("delta") instanceof ObjectNode d ? d : null;
      String field = completions ? "text" : "content";
      if (holder == null) {
        if (!ends) {
          continue;
        }
        holder = choice.putObject("delta"); // the end releases the held-back rest here
      }
      String delta = holder.path(field).isTextual() ? holder.path(field).asText() : null;
      StringBuilder release = new StringBuilder();
      if (delta != null) {
        ScanStep step = scanner(index).accept(delta);
        if (step.denied()) {
          openAiRefusal(index, step.denial(), out);
          return;
        }
        release.append(step.release());
      }
      for (JsonNode call : holder.path("tool_calls")) {
        if (call.path("function") instanceof ObjectNode function
            && function.path("arguments").isTextual()) {
          ScanStep step =
              argumentsScanner(index, call.path("index").asInt(0))
                  .accept(function.path("arguments").asText());
          if (step.denied()) {
            openAiRefusal(index, step.denial(), out);
            return;
          }
          function.put("arguments", step.release());
          changed = true;
        }
      }
      List<SseEvent> argumentsRest = new ArrayList<>(1);
      if (ends && !finishArguments(index, holder, argumentsRest, out)) {
        return;
      }
      if (ends) {
        ScanStep end = scanner(index).finish();
        scanners.remove(index);
        GuardrailDenial denial = end.denied() ? end.denial() : answer(index).finish();
        answers.remove(index);
        if (denial != null) {
          openAiRefusal(index, denial, out);
          return;
        }
        release.append(end.release());
        out.addAll(argumentsRest);
      }
      if (delta != null || release.length() > 0) {
        holder.put(field, release.toString());
        changed = true;
      }
    }
    out.add(
        changed
            ? new SseEvent(event.event(), RequestBody.utf8(RequestBody.serialize(chunk)))
            : event);
  }

  /**
   * Releases what the choice's tool-call argument scanners still hold: into the choice's last chunk
   * when it carries the call, else as one chunk put in {@code rest}, to go out before the choice's
   * last once the answer's whole-text checks passed; false when that ends in a denial (the refusal
   * is already in {@code out}).
   */
  private boolean finishArguments(
      int choice, ObjectNode delta, List<SseEvent> rest, List<SseEvent> out) {
    ObjectNode restChunk = null;
    for (Map.Entry<Long, OutputStreamScanner> e : argumentScanners.entrySet()) {
      if ((int) (e.getKey() >> 32) != choice) {
        continue;
      }
      ScanStep end = e.getValue().finish();
      if (end.denied()) {
        openAiRefusal(choice, end.denial(), out);
        return false;
      }
      ObjectNode inThisChunk = null;
      for (JsonNode call : delta.path("tool_calls")) {
        if (call.path("index").asInt(0) == (int) (long) e.getKey()
            && call.path("function") instanceof ObjectNode f) {
          inThisChunk = f;
        }
      }
      if (inThisChunk != null) {
        inThisChunk.put("arguments", inThisChunk.path("arguments").asText("") + end.release());
      } else if (!end.release().isEmpty()) {
        if (restChunk == null) {
          restChunk = chunkLike();
          ObjectNode c = restChunk.putArray("choices").addObject().put("index", choice);
          c.putObject("delta").putArray("tool_calls");
          c.putNull("finish_reason");
        }
        ((ArrayNode) restChunk.path("choices").get(0).path("delta").path("tool_calls"))
            .addObject()
            .put("index", (int) (long) e.getKey())
            .putObject("function")
            .put("arguments", end.release());
      }
    }
    argumentScanners.keySet().removeIf(k -> (int) (k >> 32) == choice);
    if (restChunk != null) {
      rest.add(SseEvent.data(RequestBody.utf8(RequestBody.serialize(restChunk))));
    }
    return true;
  }

  private OutputStreamScanner argumentsScanner(int choice, int call) {
    return argumentScanners.computeIfAbsent(
        ((long) choice << 32) | (call & 0xffffffffL), k -> answer(choice).arguments());
  }

  /** The answer of an OpenAI choice, or (index 0) of the Anthropic message. */
  private StreamedAnswer answer(int index) {
    return answers.computeIfAbsent(index, i -> guardrails.streamedAnswer());
  }

  /** A chunk with the stream's id, object, created and model. */
  private ObjectNode chunkLike() {
    ObjectNode chunk = RequestBody.JSON.createObjectNode();
    for (String f : List.of("id", "object", "created", "model")) {
      if (lastChunk != null && lastChunk.has(f)) {
        chunk.set(f, lastChunk.get(f));
      }
    }
    return chunk;
  }

  private void openAiRefusal(int index, GuardrailDenial denial, List<SseEvent> out) {
    ObjectNode chunk = chunkLike();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
    if (completions) {
      choice.put("text", "");
    } else {
      choice.putObject("delta").put("refusal", denial.message());
    }
    choice.put("finish_reason", "content_filter");
    out.add(SseEvent.data(RequestBody.utf8(RequestBody.serialize(chunk))));
    out.add(SseEvent.data("[DONE]"));
    stopped = true;
  }

  // ---- Anthropic messages events

  private void anthropicEvent(SseEvent event, List<SseEvent> out) {
    ObjectNode data = parse(event.data());
    String type = data == null ? "" : data.path("type").asText();
    int index = data == null ? -1 : data.path("index").asInt(-1);
    switch (type) {
      case "content_block_start" -> {
        switch (data.path("content_block").path("type").asText()) {
          case "text" -> scanners.put(index, answer(0).text());
          case "tool_use" -> scanners.put(index, answer(0).arguments());
          default -> {}
        }
        out.add(event);
      }
      case "content_block_delta" -> {
        OutputStreamScanner scanner = scanners.get(index);
        JsonNode delta = data.path("delta");
        String field =
            switch (delta.path("type").asText()) {
              case "text_delta" -> "text";
              case "input_json_delta" -> "partial_json";
              default -> null;
            };
        if (scanner == null || field == null) {
          out.add(event);
          return;
        }
        ScanStep step = scanner.accept(delta.path(field).asText(""));
        if (step.denied()) {
          anthropicRefusal(index, out);
          return;
        }
        if (!step.release().isEmpty()) {
          ((ObjectNode) delta).put(field, step.release());
          out.add(named(event, data));
        }
        lastDeltaType.put(index, delta.path("type").asText());
      }
      case "content_block_stop" -> {
        OutputStreamScanner scanner = scanners.remove(index);
        if (scanner != null) {
          ScanStep end = scanner.finish();
          if (end.denied()) {
            anthropicRefusal(index, out);
            return;
          }
          if (!end.release().isEmpty()) {
            boolean json = "input_json_delta".equals(lastDeltaType.get(index));
            ObjectNode delta = RequestBody.JSON.createObjectNode();
            delta.put("type", "content_block_delta").put("index", index);
            delta
                .putObject("delta")
                .put("type", json ? "input_json_delta" : "text_delta")
                .put(json ? "partial_json" : "text", end.release());
            out.add(named(new SseEvent("content_block_delta", null), delta));
          }
        }
        out.add(event);
      }
      case "message_delta" -> {
        // the message ends: its blocks are closed, the whole-text checks judge all of them
        GuardrailDenial denial = answer(0).finish();
        if (denial != null) {
          ObjectNode delta =
              data.path("delta") instanceof ObjectNode d ? d : data.putObject("delta");
          delta.put("stop_reason", "refusal").putNull("stop_sequence");
          anthropicEnd(data, out);
          return;
        }
        out.add(event);
      }
      default -> out.add(event);
    }
  }

  private void anthropicRefusal(int index, List<SseEvent> out) {
    ObjectNode stop = RequestBody.JSON.createObjectNode();
    stop.put("type", "content_block_stop").put("index", index);
    out.add(named(new SseEvent("content_block_stop", null), stop));
    ObjectNode delta = RequestBody.JSON.createObjectNode().put("type", "message_delta");
    delta.putObject("delta").put("stop_reason", "refusal").putNull("stop_sequence");
    delta.putObject("usage").put("output_tokens", 0);
    anthropicEnd(delta, out);
  }

  /** Sends {@code messageDelta} (a refusal stop) and {@code message_stop}; the stream ends. */
  private void anthropicEnd(ObjectNode messageDelta, List<SseEvent> out) {
    out.add(named(new SseEvent("message_delta", null), messageDelta));
    out.add(
        named(
            new SseEvent("message_stop", null),
            RequestBody.JSON.createObjectNode().put("type", "message_stop")));
    stopped = true;
  }

  private OutputStreamScanner scanner(int index) {
    return scanners.computeIfAbsent(index, i -> answer(index).text());
  }

  private static SseEvent named(SseEvent like, ObjectNode data) {
    return new SseEvent(like.event(), RequestBody.utf8(RequestBody.serialize(data)));
  }

  private static ObjectNode parse(String data) {
    if (data == null || data.isEmpty() || data.charAt(0) != '{') {
      return null;
    }
    try {
      return RequestBody.JSON.readTree(data) instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
    }
  }
}
