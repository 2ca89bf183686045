package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.guardrail.OutputVerdict;
import dev.portcullis.gateway.guardrail.RequestGuardrails;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The output guardrails of one request on a whole answer, in the client's format (copied from a
 * same-format upstream or translated, it is the same shape here): the assistant text and each tool
 * call's arguments are checked; Redact rewrites them, Deny withholds them behind the provider's own
 * signal (OpenAI {@code finish_reason: "content_filter"}, {@code content: null} and {@code
 * refusal}; Anthropic {@code stop_reason: "refusal"} with the content withheld).
 *
 * <p>Cost: one parse and one serialization of the answer, only on routes with output policies.
 */
final class AnswerGuardrails {
  private final RequestContext request;
  private final RequestGuardrails guardrails;

  AnswerGuardrails(RequestContext request, RequestGuardrails guardrails) {
    this.request = request;
    this.guardrails = guardrails;
  }

  /** The answer to send instead of {@code json}; reports the verdicts in the header. */
  byte[] rewrite(byte[] json) {
    ObjectNode answer;
    try {
      if (!(RequestBody.JSON.readTree(json) instanceof ObjectNode o)) {
        return json;
      }
      answer = o;
    } catch (IOException e) {
      return json;
    }
    ClientCall call = request.call();
    boolean changed;
    if (call.format() == WireFormat.ANTHROPIC && call.operation() == Operation.CHAT) {
      changed = anthropic(answer);
    } else if (call.operation() == Operation.CHAT) {
      changed = openAiChat(answer);
    } else if (call.operation() == Operation.COMPLETIONS) {
      changed = openAiCompletions(answer);
    } else if (call.operation() == Operation.RESPONSES) {
      changed = responses(answer);
    } else {
      return json; // embeddings and counts carry no generated text
    }
    InputGuardrailStage.report(request, guardrails);
    return changed ? RequestBody.serialize(answer) : json;
  }

  private boolean openAiChat(ObjectNode answer) {
    boolean changed = false;
    for (JsonNode choice : answer.path("choices")) {
      if (!(choice.path("message") instanceof ObjectNode message)) {
        continue;
      }
      String text = message.path("content").isTextual() ? message.path("content").asText() : null;
      List<ObjectNode> functions = new ArrayList<>();
      List<String> args = new ArrayList<>();
      for (JsonNode call : message.path("tool_calls")) {
        if (call.path("function") instanceof ObjectNode f) {
          functions.add(f);
          args.add(f.path("arguments").asText(""));
        }
      }
      OutputVerdict verdict = guardrails.checkOutput(text, args);
      if (verdict.denied()) {
        message.putNull("content");
        message.put("refusal", verdict.denial().message());
        message.remove("tool_calls");
        ((ObjectNode) choice).put("finish_reason", "content_filter");
        changed = true;
        continue;
      }
      if (text != null && !text.equals(verdict.text())) {
        message.put("content", verdict.text());
        changed = true;
      }
      for (int i = 0; i < functions.size(); i++) {
        if (!args.get(i).equals(verdict.toolArguments().get(i))) {
          functions.get(i).put("arguments", verdict.toolArguments().get(i));
          changed = true;
        }
      }
    }
    return changed;
  }

  private boolean openAiCompletions(ObjectNode answer) {
    boolean changed = false;
    for (JsonNode choice : answer.path("choices")) {
      if (!(choice instanceof ObjectNode c)) {
        continue;
      }
      String text = c.path("text").asText("");
      OutputVerdict verdict = guardrails.checkOutput(text, List.of());
      if (verdict.denied()) {
        c.put("text", "");
        c.put("finish_reason", "content_filter");
        changed = true;
      } else if (!text.equals(verdict.text())) {
        c.put("text", verdict.text());
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Anthropic: the text blocks are judged as one text (joined), each tool_use block's input as its
   * JSON text. A redaction puts the rewritten text in the first text block and empties the others.
   */
  private boolean anthropic(ObjectNode answer) {
    if (!(answer.path("content") instanceof ArrayNode content)) {
      return false;
    }
    List<ObjectNode> textBlocks = new ArrayList<>();
    List<ObjectNode> toolBlocks = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    List<String> args = new ArrayList<>();
    for (JsonNode block : content) {
      if (!(block instanceof ObjectNode b)) {
        continue;
      }
      switch (b.path("type").asText()) {
        case "text" -> {
          textBlocks.add(b);
          text.append(b.path("text").asText(""));
        }
        case "tool_use" -> {
          toolBlocks.add(b);
          args.add(b.path("input").toString());
        }
        default -> {}
      }
    }
    OutputVerdict verdict =
        guardrails.checkOutput(textBlocks.isEmpty() ? null : text.toString(), args);
    if (verdict.denied()) {
      content.removeAll();
      answer.put("stop_reason", "refusal");
      answer.putNull("stop_sequence");
      return true;
    }
    boolean changed = false;
    if (!textBlocks.isEmpty() && !text.toString().equals(verdict.text())) {
      textBlocks.get(0).put("text", verdict.text());
      for (int i = 1; i < textBlocks.size(); i++) {
        textBlocks.get(i).put("text", "");
      }
      changed = true;
    }
    for (int i = 0; i < toolBlocks.size(); i++) {
      String redacted = verdict.toolArguments().get(i);
      if (!args.get(i).equals(redacted)) {
        toolBlocks.get(i).set("input", parseOrString(redacted));
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Responses API: the {@code output_text} parts of the message items are judged as one text, each
   * {@code function_call} item's {@code arguments} as its own. A redaction puts the rewritten text
   * in the first part and empties the others. A denial replaces the output with one message item
   * holding a {@code refusal} part, {@code status: "incomplete"} and {@code incomplete_details:
   * {"reason": "content_filter"}} — what a translated chat {@code content_filter} answer becomes.
   */
  private boolean responses(ObjectNode answer) {
    if (!(answer.path("output") instanceof ArrayNode output)) {
      return false;
    }
    List<ObjectNode> parts = new ArrayList<>();
    List<ObjectNode> calls = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    List<String> args = new ArrayList<>();
    for (JsonNode item : output) {
      if ("message".equals(item.path("type").asText())) {
        for (JsonNode part : item.path("content")) {
          if (part instanceof ObjectNode p && "output_text".equals(p.path("type").asText())) {
            parts.add(p);
            text.append(p.path("text").asText(""));
          }
        }
      } else if (item instanceof ObjectNode call
          && "function_call".equals(call.path("type").asText())) {
        calls.add(call);
        args.add(call.path("arguments").asText(""));
      }
    }
    OutputVerdict verdict = guardrails.checkOutput(parts.isEmpty() ? null : text.toString(), args);
    if (verdict.denied()) {
      output.removeAll();
      output.add(responsesRefusalItem(verdict.denial().message()));
      answer.put("status", "incomplete");
      answer.putObject("incomplete_details").put("reason", "content_filter");
      if (answer.has("output_text")) {
        answer.put("output_text", "");
      }
      return true;
    }
    boolean changed = false;
    if (!parts.isEmpty() && !text.toString().equals(verdict.text())) {
      parts.get(0).put("text", verdict.text());
      for (int i = 1; i < parts.size(); i++) {
        parts.get(i).put("text", "");
      }
      if (answer.has("output_text")) {
        answer.put("output_text", verdict.text());
      }
      changed = true;
    }
    for (int i = 0; i < calls.size(); i++) {
      if (!args.get(i).equals(verdict.toolArguments().get(i))) {
        calls.get(i).put("arguments", verdict.toolArguments().get(i));
        changed = true;
      }
    }
    return changed;
  }

  /** A Responses API message item whose only part is a refusal with {@code message}. */
  static ObjectNode responsesRefusalItem(String message) {
    ObjectNode item = RequestBody.JSON.createObjectNode();
    item.put("id", "msg_guardrail_refusal");
    item.put("type", "message");
    item.put("status", "completed");
    item.put("role", "assistant");
    item.putArray("content").addObject().put("type", "refusal").put("refusal", message);
    return item;
  }

  private static JsonNode parseOrString(String json) {
    try {
      return RequestBody.JSON.readTree(json);
    } catch (IOException e) {
      return RequestBody.JSON.getNodeFactory().objectNode().put("redacted", json);
    }
  }
}
