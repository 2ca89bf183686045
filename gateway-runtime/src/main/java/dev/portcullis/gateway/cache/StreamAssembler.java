package dev.portcullis.gateway.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a complete stream of server-sent events, in the client's format, into the answer a
 * non-streaming caller would have got, so a stored stream can answer either kind of caller.
 *
 * <p>Empty when the stream did not end properly (OpenAI: no {@code data: [DONE]}; Anthropic: no
 * {@code message_stop}, or an {@code error} event) or an event is not the JSON expected: such a
 * stream is never stored. Whether a complete answer is also a storable one is {@link Storability}'s
 * decision.
 */
public final class StreamAssembler {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StreamAssembler() {}

  /** The non-stream answer the events add up to, or empty when they are not a complete stream. */
  public static Optional<ObjectNode> assemble(CachedOperation operation, List<SseEvent> events) {
    try {
      return switch (operation) {
        case OPENAI_CHAT_COMPLETIONS -> chatCompletion(events);
        case OPENAI_COMPLETIONS -> textCompletion(events);
        case ANTHROPIC_MESSAGES -> anthropicMessage(events);
      };
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static ObjectNode parse(SseEvent event) throws JsonProcessingException {
    JsonNode node = Jackson.MAPPER.readTree(event.data());
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException("event data is not a JSON object");
    }
    return object;
  }

  private static Optional<ObjectNode> chatCompletion(List<SseEvent> events)
      throws JsonProcessingException {
    ObjectNode answer = NODES.objectNode();
    Map<Integer, ObjectNode> choices = new TreeMap<>();
    Map<Integer, StringBuilder> contents = new TreeMap<>();
    Map<Integer, StringBuilder> refusals = new TreeMap<>();
    Map<Integer, Map<Integer, ObjectNode>> toolCalls = new TreeMap<>();
    boolean done = false;
    for (SseEvent event : events) {
      if ("[DONE]".equals(event.data().strip())) {
        done = true;
        break;
      }
      ObjectNode chunk = parse(event);
      if (chunk.has("error")) {
        return Optional.empty();
      }
      copyHeader(chunk, answer, "id", "created", "model", "system_fingerprint", "service_tier");
      if (chunk.hasNonNull("usage")) {
        answer.set("usage", chunk.get("usage"));
      }
      for (JsonNode choice : chunk.path("choices")) {
        int index = choice.path("index").asInt(0);
        ObjectNode assembled =
            choices.computeIfAbsent(
                index,
                i -> {
                  ObjectNode c = NODES.objectNode();
                  c.put("index", i);
                  c.putObject("message").put("role", "assistant");
                  c.putNull("logprobs");
                  c.putNull("finish_reason");
                  return c;
                });
        JsonNode delta = choice.path("delta");
        if (delta.hasNonNull("role")) {
          ((ObjectNode) assembled.get("message")).set("role", delta.get("role"));
        }
        if (delta.hasNonNull("content")) {
          contents
              .computeIfAbsent(index, i -> new StringBuilder())
              .append(delta.get("content").asText());
        }
        if (delta.hasNonNull("refusal")) {
          refusals
              .computeIfAbsent(index, i -> new StringBuilder())
              .append(delta.get("refusal").asText());
        }
        for (JsonNode call : delta.path("tool_calls")) {
          int callIndex = call.path("index").asInt(0);
          ObjectNode target =
              toolCalls
                  .computeIfAbsent(index, i -> new TreeMap<>())
                  .computeIfAbsent(
                      callIndex,
                      i -> {
                        ObjectNode c = NODES.objectNode();
                        c.put("type", "function");
                        ObjectNode function = c.putObject("function");
                        function.put("name", "");
                        function.put("arguments", "");
                        return c;
                      });
          if (call.hasNonNull("id")) {
            target.set("id", call.get("id"));
          }
          if (call.hasNonNull("type")) {
            target.set("type", call.get("type"));
          }
          ObjectNode function = (ObjectNode) target.get("function");
          JsonNode part = call.path("function");
          if (part.hasNonNull("name")) {
            function.put("name", function.get("name").asText() + part.get("name").asText());
          }
          if (part.hasNonNull("arguments")) {
            function.put(
                "arguments", function.get("arguments").asText() + part.get("arguments").asText());
          }
        }
        if (choice.hasNonNull("finish_reason")) {
          assembled.set("finish_reason", choice.get("finish_reason"));
        }
      }
    }
    if (!done || choices.isEmpty()) {
      return Optional.empty();
    }
    ArrayNode choiceArray = NODES.arrayNode();
    for (Map.Entry<Integer, ObjectNode> entry : choices.entrySet()) {
      int index = entry.getKey();
      ObjectNode message = (ObjectNode) entry.getValue().get("message");
      StringBuilder content = contents.get(index);
      if (content != null) {
        message.put("content", content.toString());
      } else {
        message.putNull("content");
      }
      StringBuilder refusal = refusals.get(index);
      if (refusal != null) {
        message.put("refusal", refusal.toString());
      } else {
        message.putNull("refusal");
      }
      Map<Integer, ObjectNode> calls = toolCalls.get(index);
      if (calls != null) {
        ArrayNode array = message.putArray("tool_calls");
        calls.values().forEach(array::add);
      }
      choiceArray.add(entry.getValue());
    }
    ObjectNode ordered = NODES.objectNode();
    ordered.set("id", answer.get("id"));
    ordered.put("object", "chat.completion");
    ordered.setAll(answer);
    ordered.set("choices", choiceArray);
    if (answer.has("usage")) {
      ordered.set("usage", answer.get("usage"));
    }
    return Optional.of(ordered);
  }

  private static Optional<ObjectNode> textCompletion(List<SseEvent> events)
      throws JsonProcessingException {
    ObjectNode answer = NODES.objectNode();
    Map<Integer, ObjectNode> choices = new TreeMap<>();
    Map<Integer, StringBuilder> texts = new TreeMap<>();
    boolean done = false;
    for (SseEvent event : events) {
      if ("[DONE]".equals(event.data().strip())) {
        done = true;
        break;
      }
      ObjectNode chunk = parse(event);
      if (chunk.has("error")) {
        return Optional.empty();
      }
      copyHeader(chunk, answer, "id", "created", "model", "system_fingerprint");
      if (chunk.hasNonNull("usage")) {
        answer.set("usage", chunk.get("usage"));
      }
      for (JsonNode choice : chunk.path("choices")) {
        int index = choice.path("index").asInt(0);
        ObjectNode assembled =
            choices.computeIfAbsent(
                index,
                i -> {
                  ObjectNode c = NODES.objectNode();
                  c.put("text", "");
                  c.put("index", i);
                  c.putNull("logprobs");
                  c.putNull("finish_reason");
                  return c;
                });
        if (choice.hasNonNull("text")) {
          texts
              .computeIfAbsent(index, i -> new StringBuilder())
              .append(choice.get("text").asText());
        }
        if (choice.hasNonNull("finish_reason")) {
          assembled.set("finish_reason", choice.get("finish_reason"));
        }
      }
    }
    if (!done || choices.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode ordered = NODES.objectNode();
    ordered.set("id", answer.get("id"));
    ordered.put("object", "text_completion");
    ordered.setAll(answer);
    ArrayNode array = ordered.putArray("choices");
    for (Map.Entry<Integer, ObjectNode> entry : choices.entrySet()) {
      StringBuilder text = texts.get(entry.getKey());
      entry.getValue().put("text", text == null ? "" : text.toString());
      array.add(entry.getValue());
    }
    if (answer.has("usage")) {
      ordered.set("usage", answer.get("usage"));
    }
    return Optional.of(ordered);
  }

  private static Optional<ObjectNode> anthropicMessage(List<SseEvent> events)
      throws JsonProcessingException {
    ObjectNode message = null;
    Map<Integer, ObjectNode> blocks = new TreeMap<>();
    Map<Integer, StringBuilder> partialJson = new TreeMap<>();
    boolean stopped = false;
    for (SseEvent event : events) {
      ObjectNode data = parse(event);
      String type = data.path("type").asText(event.event() == null ? "" : event.event());
      switch (type) {
        case "message_start" -> {
          message = ((ObjectNode) data.get("message")).deepCopy();
          message.putArray("content");
        }
        case "content_block_start" -> {
          int index = data.path("index").asInt();
          ObjectNode block = ((ObjectNode) data.get("content_block")).deepCopy();
          if ("tool_use".equals(block.path("type").asText())
              || "server_tool_use".equals(block.path("type").asText())) {
            partialJson.put(index, new StringBuilder());
          }
          blocks.put(index, block);
        }
        case "content_block_delta" -> {
          ObjectNode block = blocks.get(data.path("index").asInt());
          if (block == null) {
            return Optional.empty();
          }
          JsonNode delta = data.path("delta");
          switch (delta.path("type").asText()) {
            case "text_delta" -> append(block, "text", delta.path("text").asText());
            case "thinking_delta" -> append(block, "thinking", delta.path("thinking").asText());
            case "signature_delta" -> append(block, "signature", delta.path("signature").asText());
            case "input_json_delta" ->
                partialJson
                    .computeIfAbsent(data.path("index").asInt(), i -> new StringBuilder())
                    .append(delta.path("partial_json").asText());
            case "citations_delta" -> {
              ArrayNode citations =
                  block.has("citations") && block.get("citations").isArray()
                      ? (ArrayNode) block.get("citations")
                      : block.putArray("citations");
              citations.add(delta.path("citation"));
            }
            default -> {
              // A delta type this version does not know: the block may be incomplete.
              return Optional.empty();
            }
          }
        }
        case "content_block_stop", "ping" -> {}
        case "message_delta" -> {
          if (message == null) {
            return Optional.empty();
          }
          ObjectNode target = message;
          data.path("delta").fields().forEachRemaining(f -> target.set(f.getKey(), f.getValue()));
          if (data.has("usage")) {
            // message_delta's usage is cumulative; it overrides message_start's counts.
            ObjectNode usage =
                target.get("usage") instanceof ObjectNode existing
                    ? existing
                    : target.putObject("usage");
            data.get("usage")
                .fields()
                .forEachRemaining(
                    f -> {
                      if (!f.getValue().isNull()) {
                        usage.set(f.getKey(), f.getValue());
                      }
                    });
          }
        }
        case "message_stop" -> stopped = true;
        default -> {
          // "error", or anything unexpected: not a complete answer.
          return Optional.empty();
        }
      }
      if (stopped) {
        break;
      }
    }
    if (!stopped || message == null) {
      return Optional.empty();
    }
    ArrayNode content = (ArrayNode) message.get("content");
    for (Map.Entry<Integer, ObjectNode> entry : blocks.entrySet()) {
      ObjectNode block = entry.getValue();
      StringBuilder json = partialJson.get(entry.getKey());
      if (json != null) {
        String text = json.toString().strip();
        block.set("input", text.isEmpty() ? NODES.objectNode() : Jackson.MAPPER.readTree(text));
      }
      content.add(block);
    }
    return Optional.of(message);
  }

  private static void append(ObjectNode block, String field, String more) {
    block.put(field, block.path(field).asText("") + more);
  }

  private static void copyHeader(ObjectNode from, ObjectNode to, String... fields) {
    for (String field : fields) {
      if (!to.has(field) && from.hasNonNull(field)) {
        to.set(field, from.get(field));
      }
    }
  }
}
