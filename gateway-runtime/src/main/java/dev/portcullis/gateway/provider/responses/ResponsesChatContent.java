package dev.portcullis.gateway.provider.responses;

import static dev.portcullis.gateway.provider.responses.ResponsesChatVocabulary.COMPLETED;
import static dev.portcullis.gateway.provider.responses.ResponsesChatVocabulary.ENDING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The pieces of a Responses API answer built from chat completion parts, shared by the whole-body
 * and the stream mappers so both answer with the same shapes: the response object, its output
 * items, its usage, and the ids derived from the chat completion's.
 */
final class ResponsesChatContent {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ResponsesChatContent() {}

  /** {@code chatcmpl-abc} → {@code resp_abc}; the suffix keeps answers traceable upstream. */
  static String responseId(String chatId) {
    String suffix =
        chatId == null || chatId.isEmpty()
            ? Long.toHexString(System.nanoTime())
            : chatId.startsWith("chatcmpl-") ? chatId.substring("chatcmpl-".length()) : chatId;
    return "resp_" + suffix;
  }

  /** The id of output item {@code index} of a response. */
  static String itemId(String prefix, String responseId, int index) {
    return prefix + responseId.substring("resp_".length()) + "_" + index;
  }

  /**
   * A response object with every field the SDKs require.
   *
   * @param status {@code in_progress}, {@code completed}, {@code incomplete} or {@code failed}
   * @param ending the ending term ({@link ResponsesChatVocabulary#ENDING}'s right side) or null
   */
  static ObjectNode response(
      String id, long createdAt, String model, String status, String ending) {
    ObjectNode response = NODES.objectNode();
    response.put("id", id);
    response.put("object", "response");
    response.put("created_at", createdAt);
    response.put("status", status);
    response.putNull("error");
    if (ending != null && !COMPLETED.equals(ending)) {
      response.putObject("incomplete_details").put("reason", ending);
    } else {
      response.putNull("incomplete_details");
    }
    response.putNull("instructions");
    response.putObject("metadata");
    response.put("model", model);
    response.putArray("output");
    response.put("parallel_tool_calls", true);
    response.putNull("temperature");
    response.put("tool_choice", "auto");
    response.putArray("tools");
    response.putNull("top_p");
    response.putObject("text").putObject("format").put("type", "text");
    return response;
  }

  /** An assistant message item with one {@code output_text} part (or a refusal). */
  static ObjectNode messageItem(String id, String status, String text, String refusal) {
    ObjectNode item = NODES.objectNode();
    item.put("id", id);
    item.put("type", ResponsesChatVocabulary.MESSAGE_ITEM);
    item.put("status", status);
    item.put("role", "assistant");
    if (refusal != null) {
      item.putArray("content").addObject().put("type", "refusal").put("refusal", refusal);
    } else if (text != null) {
      item.putArray("content").add(textPart(text));
    } else {
      item.putArray("content");
    }
    return item;
  }

  static ObjectNode textPart(String text) {
    ObjectNode part = NODES.objectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  /** A {@code function_call} item for one chat tool call. */
  static ObjectNode functionCallItem(
      String id, String status, String callId, String name, String arguments) {
    return NODES
        .objectNode()
        .put("id", id)
        .put("type", ResponsesChatVocabulary.FUNCTION_CALL_ITEM)
        .put("status", status)
        .put("call_id", callId)
        .put("name", name)
        .put("arguments", arguments);
  }

  /** Chat {@code usage} as Responses usage; null when the chat answer has none. */
  static ObjectNode usage(JsonNode chatUsage) {
    if (chatUsage == null || !chatUsage.isObject()) {
      return null;
    }
    long input = chatUsage.path("prompt_tokens").asLong();
    long output = chatUsage.path("completion_tokens").asLong();
    ObjectNode usage = NODES.objectNode();
    usage.put("input_tokens", input);
    usage
        .putObject("input_tokens_details")
        .put(
            "cached_tokens",
            chatUsage.path("prompt_tokens_details").path("cached_tokens").asLong());
    usage.put("output_tokens", output);
    usage
        .putObject("output_tokens_details")
        .put(
            "reasoning_tokens",
            chatUsage.path("completion_tokens_details").path("reasoning_tokens").asLong());
    usage.put("total_tokens", chatUsage.path("total_tokens").asLong(input + output));
    return usage;
  }

  /** The ending term of a chat finish reason. */
  static String ending(String finishReason) {
    return ENDING.toRight(finishReason);
  }
}
