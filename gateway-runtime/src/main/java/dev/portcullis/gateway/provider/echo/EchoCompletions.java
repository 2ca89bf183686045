package dev.portcullis.gateway.provider.echo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /v1/completions} of the echo upstream: one {@code text_completion} choice per prompt,
 * each {@code "Echo: " + prompt}.
 */
final class EchoCompletions {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private EchoCompletions() {}

  static EchoResponse answer(ObjectNode request) {
    List<String> prompts = prompts(request.get("prompt"));
    if (prompts.isEmpty()) {
      return EchoResponse.error(
          400, "invalid_request_error", "'prompt' must be a string or an array of strings");
    }
    String model = request.path("model").asText("echo");
    String id = "cmpl-echo" + UUID.randomUUID().toString().replace("-", "");
    long created = Instant.now().getEpochSecond();
    int limit = request.path("max_tokens").asInt(0);
    int promptTokens = 0;
    int completionTokens = 0;
    List<String> texts = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (String prompt : prompts) {
      String text = "Echo: " + prompt;
      String reason = "stop";
      if (limit > 0 && TokenEstimate.of(text) > limit) {
        text = TokenEstimate.truncate(text, limit);
        reason = "length";
      }
      texts.add(text);
      reasons.add(reason);
      promptTokens += TokenEstimate.of(prompt);
      completionTokens += TokenEstimate.of(text);
    }
    ObjectNode usage = JSON.objectNode();
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);

    if (request.path("stream").asBoolean(false)) {
      List<ObjectNode> chunks = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        for (String word : texts.get(i).split("(?<=\\s)")) {
          chunks.add(chunk(id, created, model, i, word, null));
        }
        chunks.add(chunk(id, created, model, i, "", reasons.get(i)));
      }
      if (request.path("stream_options").path("include_usage").asBoolean(false)) {
        ObjectNode last = envelope(id, created, model);
        last.putArray("choices");
        last.set("usage", usage);
        chunks.add(last);
      }
      return EchoResponse.sse(chunks);
    }
    ObjectNode body = envelope(id, created, model);
    ArrayNode choices = body.putArray("choices");
    for (int i = 0; i < texts.size(); i++) {
      ObjectNode choice = choices.addObject();
      choice.put("text", texts.get(i));
      choice.put("index", i);
      choice.putNull("logprobs");
      choice.put("finish_reason", reasons.get(i));
    }
    body.set("usage", usage);
    return EchoResponse.json(body);
  }

  /** Prompts as text; token-id prompts are echoed as their ids. */
  private static List<String> prompts(JsonNode prompt) {
    List<String> prompts = new ArrayList<>();
    if (prompt == null) {
      return prompts;
    }
    if (prompt.isTextual()) {
      prompts.add(prompt.asText());
    } else if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isNumber()) {
      prompts.add(prompt.toString());
    } else if (prompt.isArray()) {
      prompt.forEach(p -> prompts.add(p.isTextual() ? p.asText() : p.toString()));
    }
    return prompts;
  }

  private static ObjectNode chunk(
      String id, long created, String model, int index, String text, String finishReason) {
    ObjectNode chunk = envelope(id, created, model);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("text", text);
    choice.put("index", index);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return chunk;
  }

  private static ObjectNode envelope(String id, long created, String model) {
    ObjectNode body = JSON.objectNode();
    body.put("id", id);
    body.put("object", "text_completion");
    body.put("created", created);
    body.put("model", model);
    return body;
  }
}
