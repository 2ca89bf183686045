package dev.portcullis.gateway.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;

/**
 * The pieces of content OpenAI and Gemini carry in their own shapes, each converted both ways in
 * one place: tool calls and {@code functionCall} parts (with the thought signature riding in the
 * call id, see {@link GeminiToolCallIds}), and thought parts, which OpenAI chat never shows.
 */
final class OpenAiGeminiContent {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = Jackson.MAPPER;

  private OpenAiGeminiContent() {}

  /** Whether a part is thinking the model shows only as a summary (never sent as content). */
  static boolean isThought(JsonNode part) {
    return part.path("thought").asBoolean(false);
  }

  /** An OpenAI tool call ({@code id, type, function}) for a part with a {@code functionCall}. */
  static ObjectNode toolCall(JsonNode part) {
    JsonNode call = part.get("functionCall");
    ObjectNode toolCall = JSON.objectNode();
    String id = call.path("id").asText(null);
    toolCall.put(
        "id",
        id != null ? id : GeminiToolCallIds.newId(part.path("thoughtSignature").asText(null)));
    toolCall.put("type", "function");
    ObjectNode function = toolCall.putObject("function");
    function.put("name", call.path("name").asText());
    JsonNode args = call.get("args");
    function.put("arguments", args == null || args.isNull() ? "{}" : args.toString());
    return toolCall;
  }

  /**
   * A {@code functionCall} part for an OpenAI tool call (or a legacy {@code function_call}, which
   * has no id), with the thought signature its id carries.
   */
  static ObjectNode functionCallPart(String id, String name, String arguments) {
    ObjectNode part = JSON.objectNode();
    ObjectNode call = part.putObject("functionCall");
    call.put("name", name);
    call.set("args", parseArguments(arguments));
    GeminiToolCallIds.thoughtSignature(id).ifPresent(s -> part.put("thoughtSignature", s));
    return part;
  }

  /** Gemini's {@code args} must be an object; any other JSON value is wrapped as {@code value}. */
  private static JsonNode parseArguments(String arguments) {
    if (arguments.isBlank()) {
      return JSON.objectNode();
    }
    try {
      JsonNode parsed = MAPPER.readTree(arguments);
      return parsed.isObject() ? parsed : JSON.objectNode().set("value", parsed);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("tool call arguments are not valid JSON");
    }
  }
}
