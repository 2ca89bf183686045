package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Json.array;
import static dev.portcullis.gateway.provider.anthropic.Json.object;
import static dev.portcullis.gateway.provider.anthropic.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.anthropic.OpenAiAnthropicVocabulary.TokenCounts;
import java.time.Clock;

/**
 * An Anthropic message as an OpenAI {@code chat.completion}: text blocks joined into the content,
 * {@code tool_use} blocks as tool calls, the stop reason as a finish reason, usage with cache reads
 * and writes counted into {@code prompt_tokens}. Thinking and server-tool blocks have no place in a
 * chat completion and are left out.
 */
final class OpenAiToAnthropicResponseMapper {
  private final Clock clock;

  OpenAiToAnthropicResponseMapper(Clock clock) {
    this.clock = clock;
  }

  ObjectNode map(ObjectNode resp, String clientModel) {
    ObjectNode out = object();
    String id = text(resp, "id");
    out.put("id", id != null ? id : Json.newId("chatcmpl-"));
    out.put("object", "chat.completion");
    out.put("created", clock.instant().getEpochSecond());
    out.put("model", clientModel != null ? clientModel : text(resp, "model"));

    StringBuilder content = new StringBuilder();
    ArrayNode toolCalls = array();
    for (JsonNode block : resp.path("content")) {
      switch (String.valueOf(text(block, "type"))) {
        case "text" -> content.append(block.path("text").asText());
        case "tool_use" -> toolCalls.add(OpenAiAnthropicContent.toolCall(block));
        default -> {
          // thinking, redacted_thinking, server tool blocks: no OpenAI chat equivalent.
        }
      }
    }
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (content.isEmpty() && !toolCalls.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", content.toString());
    }
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
    message.putNull("refusal");
    choice.putNull("logprobs");
    String reason = OpenAiAnthropicVocabulary.openAiFinishReason(text(resp, "stop_reason"));
    if (reason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", reason);
    }
    if (resp.get("usage") instanceof ObjectNode usage) {
      out.set("usage", TokenCounts.ZERO.withAnthropic(usage).toOpenAi());
    }
    return out;
  }
}
