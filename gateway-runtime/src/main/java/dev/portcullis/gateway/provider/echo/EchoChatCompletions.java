package dev.portcullis.gateway.provider.echo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/chat/completions} of the echo upstream. The answer to a user message is {@code
 * "Echo: " + its text}; the answer to a tool result is {@code "Echo: " + the result}. A tool call
 * comes back when the request declares tools and the last message is a user message saying {@code
 * call <tool name>}, optionally followed by a JSON object of arguments ({@code call get_weather
 * {"city":"Paris"}}); {@code tool_choice} is honoured ({@code none}, {@code required}, a named
 * function).
 */
final class EchoChatCompletions {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = Jackson.MAPPER;
  private static final Pattern CALL =
      Pattern.compile("\\bcall\\s+([A-Za-z0-9_.-]+)(?:\\s*(\\{.*}))?", Pattern.DOTALL);
  private static final String FINGERPRINT = "fp_echo";

  private EchoChatCompletions() {}

  /** What the echo model decided to say. */
  private record Answer(String text, ObjectNode toolCall, String finishReason) {}

  static EchoResponse answer(ObjectNode request) {
    JsonNode messages = request.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      return EchoResponse.error(
          400, "invalid_request_error", "'messages' must be a non-empty array");
    }
    String model = request.path("model").asText("echo");
    int choices = Math.max(1, request.path("n").asInt(1));
    Answer answer = decide(request, messages);
    ObjectNode usage = usage(messages, answer);
    String id = "chatcmpl-echo" + UUID.randomUUID().toString().replace("-", "");
    long created = Instant.now().getEpochSecond();
    if (request.path("stream").asBoolean(false)) {
      boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
      return EchoResponse.sse(chunks(id, created, model, choices, answer, includeUsage, usage));
    }
    ObjectNode body = JSON.objectNode();
    body.put("id", id);
    body.put("object", "chat.completion");
    body.put("created", created);
    body.put("model", model);
    ArrayNode choiceArray = body.putArray("choices");
    for (int i = 0; i < choices; i++) {
      ObjectNode choice = choiceArray.addObject();
      choice.put("index", i);
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      if (answer.toolCall() != null) {
        message.putNull("content");
        message.putNull("refusal");
        message.putArray("tool_calls").add(answer.toolCall().deepCopy());
      } else {
        message.put("content", answer.text());
        message.putNull("refusal");
      }
      choice.putNull("logprobs");
      choice.put("finish_reason", answer.finishReason());
    }
    body.set("usage", usage);
    body.put("system_fingerprint", FINGERPRINT);
    return EchoResponse.json(body);
  }

  private static Answer decide(ObjectNode request, JsonNode messages) {
    JsonNode last = messages.get(messages.size() - 1);
    String lastRole = last.path("role").asText();
    if ("user".equals(lastRole)) {
      ObjectNode toolCall = toolCall(request, text(last.get("content")));
      if (toolCall != null) {
        return new Answer(null, toolCall, "tool_calls");
      }
    }
    String said = "tool".equals(lastRole) ? text(last.get("content")) : lastUserText(messages);
    String reply = "Echo: " + said;
    int limit = request.path("max_completion_tokens").asInt(request.path("max_tokens").asInt(0));
    if (limit > 0 && TokenEstimate.of(reply) > limit) {
      return new Answer(TokenEstimate.truncate(reply, limit), null, "length");
    }
    return new Answer(reply, null, "stop");
  }

  private static String lastUserText(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).path("role").asText())) {
        return text(messages.get(i).get("content"));
      }
    }
    return "";
  }

  /** The tool call the convention asks for, or null. */
  private static ObjectNode toolCall(ObjectNode request, String userText) {
    List<String> declared = new ArrayList<>();
    request.path("tools").forEach(t -> declared.add(t.path("function").path("name").asText()));
    JsonNode choice = request.get("tool_choice");
    if (declared.isEmpty() || (choice != null && "none".equals(choice.asText()))) {
      return null;
    }
    String forced =
        choice != null && choice.isObject() ? choice.path("function").path("name").asText() : null;
    String name = null;
    String arguments = "{}";
    Matcher matcher = CALL.matcher(userText);
    while (matcher.find()) {
      String asked = matcher.group(1);
      if (declared.contains(asked) && (forced == null || forced.equals(asked))) {
        name = asked;
        arguments = argumentsOrEmpty(matcher.group(2));
        break;
      }
    }
    if (name == null && forced != null) {
      name = forced;
    } else if (name == null && choice != null && "required".equals(choice.asText())) {
      name = declared.get(0);
    }
    if (name == null) {
      return null;
    }
    ObjectNode call = JSON.objectNode();
    call.put("id", "call_echo" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
    call.put("type", "function");
    call.putObject("function").put("name", name).put("arguments", arguments);
    return call;
  }

  private static String argumentsOrEmpty(String json) {
    if (json == null) {
      return "{}";
    }
    try {
      JsonNode parsed = MAPPER.readTree(json);
      return parsed.isObject() ? parsed.toString() : "{}";
    } catch (JsonProcessingException notJson) {
      return "{}";
    }
  }

  /** The text of a message content: a string, or the text parts of a parts array joined. */
  static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        if (!text.isEmpty()) {
          text.append(' ');
        }
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  private static ObjectNode usage(JsonNode messages, Answer answer) {
    int prompt = TokenEstimate.PER_MESSAGE; // the assistant reply is primed too
    for (JsonNode message : messages) {
      prompt += TokenEstimate.PER_MESSAGE + TokenEstimate.of(text(message.get("content")));
      for (JsonNode call : message.path("tool_calls")) {
        prompt += TokenEstimate.of(call.path("function").toString());
      }
    }
    int completion =
        answer.toolCall() != null
            ? TokenEstimate.of(answer.toolCall().path("function").toString())
            : TokenEstimate.of(answer.text());
    ObjectNode usage = JSON.objectNode();
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", prompt + completion);
    usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
    usage
        .putObject("completion_tokens_details")
        .put("reasoning_tokens", 0)
        .put("audio_tokens", 0)
        .put("accepted_prediction_tokens", 0)
        .put("rejected_prediction_tokens", 0);
    return usage;
  }

  /**
   * The stream OpenAI sends for the same answer: a role delta, the content a word at a time (or the
   * tool call's name, then its arguments in two pieces), a finish delta, and the usage chunk when
   * {@code stream_options.include_usage} asked for it.
   */
  private static List<ObjectNode> chunks(
      String id,
      long created,
      String model,
      int choices,
      Answer answer,
      boolean includeUsage,
      ObjectNode usage) {
    List<ObjectNode> chunks = new ArrayList<>();
    for (int index = 0; index < choices; index++) {
      ObjectNode role = JSON.objectNode().put("role", "assistant");
      if (answer.toolCall() != null) {
        role.putNull("content");
      } else {
        role.put("content", "");
      }
      role.putNull("refusal");
      chunks.add(chunk(id, created, model, index, role, null, includeUsage));
      if (answer.toolCall() != null) {
        ObjectNode call = answer.toolCall();
        String arguments = call.path("function").path("arguments").asText();
        ObjectNode head = JSON.objectNode();
        ObjectNode headCall = head.putArray("tool_calls").addObject();
        headCall.put("index", 0);
        headCall.put("id", call.get("id").asText());
        headCall.put("type", "function");
        headCall
            .putObject("function")
            .put("name", call.path("function").path("name").asText())
            .put("arguments", "");
        chunks.add(chunk(id, created, model, index, head, null, includeUsage));
        int half = arguments.length() / 2;
        for (String piece : List.of(arguments.substring(0, half), arguments.substring(half))) {
          ObjectNode delta = JSON.objectNode();
          ObjectNode pieceCall = delta.putArray("tool_calls").addObject();
          pieceCall.put("index", 0);
          pieceCall.putObject("function").put("arguments", piece);
          chunks.add(chunk(id, created, model, index, delta, null, includeUsage));
        }
      } else {
        for (String word : answer.text().split("(?<=\\s)")) {
          if (!word.isEmpty()) {
            ObjectNode delta = JSON.objectNode().put("content", word);
            chunks.add(chunk(id, created, model, index, delta, null, includeUsage));
          }
        }
      }
      chunks.add(
          chunk(id, created, model, index, JSON.objectNode(), answer.finishReason(), includeUsage));
    }
    if (includeUsage) {
      ObjectNode last = envelope(id, created, model);
      last.putArray("choices");
      last.set("usage", usage);
      chunks.add(last);
    }
    return chunks;
  }

  private static ObjectNode chunk(
      String id,
      long created,
      String model,
      int index,
      ObjectNode delta,
      String finishReason,
      boolean includeUsage) {
    ObjectNode chunk = envelope(id, created, model);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", index);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    if (includeUsage) {
      // OpenAI marks every chunk but the last with usage: null once usage is asked for.
      chunk.putNull("usage");
    }
    return chunk;
  }

  private static ObjectNode envelope(String id, long created, String model) {
    ObjectNode chunk = JSON.objectNode();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", created);
    chunk.put("model", model);
    chunk.put("system_fingerprint", FINGERPRINT);
    return chunk;
  }
}
