package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Every text part of a request body in a client format, each with a way to replace it: OpenAI chat
 * messages (string content or text parts of any role, tool results, assistant tool-call arguments),
 * Responses-style {@code instructions}/{@code input}, completions {@code prompt}, embeddings {@code
 * input}; Anthropic {@code system}, text blocks, tool results and the string values of tool-use
 * inputs. Images, audio and token arrays are not text and are left alone.
 */
final class ClientTextParts {
  private ClientTextParts() {}

  /** One text value in the tree and where it sits. */
  record Part(JsonNode container, String field, int index, String text) {
    void replace(String value) {
      if (container instanceof ObjectNode o) {
        o.set(field, TextNode.valueOf(value));
      } else {
        ((ArrayNode) container).set(index, TextNode.valueOf(value));
      }
    }
  }

  static List<Part> of(WireFormat format, Operation operation, JsonNode body) {
    List<Part> parts = new ArrayList<>();
    if (body == null || !body.isObject()) {
      return parts;
    }
    if (format == WireFormat.ANTHROPIC) {
      anthropicContent(body, "system", parts);
      for (JsonNode m : body.path("messages")) {
        anthropicContent(m, "content", parts);
      }
      return parts;
    }
    switch (operation) {
      case COMPLETIONS -> strings(body, "prompt", parts);
      case EMBEDDINGS -> strings(body, "input", parts);
      default -> {
        if (body.has("messages")) {
          for (JsonNode m : body.path("messages")) {
            openAiContent(m, "content", parts);
            for (JsonNode call : m.path("tool_calls")) {
              text(call.path("function"), "arguments", parts);
            }
            text(m.path("function_call"), "arguments", parts);
          }
        } else {
          // The Responses API shape: instructions, and input as a string or a list of items.
          text(body, "instructions", parts);
          JsonNode input = body.path("input");
          if (input.isTextual()) {
            text(body, "input", parts);
          } else {
            for (JsonNode item : input) {
              openAiContent(item, "content", parts);
              text(item, "arguments", parts);
              text(item, "output", parts);
            }
          }
        }
      }
    }
    return parts;
  }

  private static void openAiContent(JsonNode message, String field, List<Part> parts) {
    JsonNode content = message.path(field);
    if (content.isTextual()) {
      text(message, field, parts);
    } else if (content.isArray()) {
      for (JsonNode part : content) {
        text(part, "text", parts);
      }
    }
  }

  private static void anthropicContent(JsonNode holder, String field, List<Part> parts) {
    JsonNode content = holder.path(field);
    if (content.isTextual()) {
      text(holder, field, parts);
      return;
    }
    for (JsonNode block : content) {
      text(block, "text", parts);
      if ("tool_result".equals(block.path("type").asText())) {
        anthropicContent(block, "content", parts);
      }
      if (block.path("input").isContainerNode()) {
        stringLeaves(block.path("input"), parts);
      }
    }
  }

  private static void stringLeaves(JsonNode node, List<Part> parts) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isTextual()) {
          parts.add(new Part(node, e.getKey(), -1, e.getValue().asText()));
        } else {
          stringLeaves(e.getValue(), parts);
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        if (node.get(i).isTextual()) {
          parts.add(new Part(node, null, i, node.get(i).asText()));
        } else {
          stringLeaves(node.get(i), parts);
        }
      }
    }
  }

  /** A string, or an array of strings (token arrays are skipped). */
  private static void strings(JsonNode body, String field, List<Part> parts) {
    JsonNode value = body.path(field);
    if (value.isTextual()) {
      text(body, field, parts);
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        if (value.get(i).isTextual()) {
          parts.add(new Part(value, null, i, value.get(i).asText()));
        }
      }
    }
  }

  private static void text(JsonNode holder, String field, List<Part> parts) {
    JsonNode value = holder.path(field);
    if (holder.isObject() && value.isTextual()) {
      parts.add(new Part(holder, field, -1, value.asText()));
    }
  }
}
