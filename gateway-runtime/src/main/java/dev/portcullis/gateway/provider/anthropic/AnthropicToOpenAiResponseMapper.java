package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Json.object;
import static dev.portcullis.gateway.provider.anthropic.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.anthropic.OpenAiAnthropicVocabulary.TokenCounts;

/**
 * An OpenAI {@code chat.completion} as an Anthropic message: the content (and a refusal) as one
 * text block, tool calls as {@code tool_use} blocks, the finish reason as a stop reason. OpenAI's
 * {@code prompt_tokens} includes cached tokens and Anthropic's {@code input_tokens} does not, so
 * cached tokens move to {@code cache_read_input_tokens}.
 */
final class AnthropicToOpenAiResponseMapper {
  private AnthropicToOpenAiResponseMapper() {}

  static ObjectNode map(ObjectNode resp, String clientModel) {
    JsonNode choice = resp.path("choices").path(0);
    JsonNode message = choice.path("message");
    ObjectNode out = object();
    out.put("id", OpenAiAnthropicContent.anthropicMessageId(text(resp, "id")));
    out.put("type", "message");
    out.put("role", "assistant");
    out.put("model", clientModel != null ? clientModel : text(resp, "model"));
    ArrayNode content = out.putArray("content");
    String text = messageText(message.get("content"));
    String refusal = text(message, "refusal");
    if (refusal != null && !refusal.isEmpty()) {
      text = text == null ? refusal : text + refusal;
    }
    if (text != null && !text.isEmpty()) {
      content.add(OpenAiAnthropicContent.textBlock(text));
    }
    for (JsonNode call : message.path("tool_calls")) {
      // A model can emit malformed arguments; Anthropic's input must be an object.
      ObjectNode input =
          Json.parseObject(text(call.path("function"), "arguments")).orElseGet(Json::object);
      content.add(OpenAiAnthropicContent.toolUse(call, input));
    }
    out.put(
        "stop_reason",
        OpenAiAnthropicVocabulary.anthropicStopReason(text(choice, "finish_reason")));
    out.putNull("stop_sequence");
    out.set("usage", TokenCounts.fromOpenAi(resp.get("usage")).toAnthropic());
    return out;
  }

  private static String messageText(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    // Some OpenAI-compatible servers answer with an array of text parts.
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(text(part, "type"))) {
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }
}
