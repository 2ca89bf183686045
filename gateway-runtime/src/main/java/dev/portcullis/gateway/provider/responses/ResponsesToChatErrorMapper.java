package dev.portcullis.gateway.provider.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A chat completions error as a Responses API error. Both are OpenAI's {@code
 * {"error":{message,type,param,code}}}; this keeps the upstream's fields and fills what a
 * compatible server left out (some send a bare {@code {"detail": …}} or nothing).
 */
final class ResponsesToChatErrorMapper {
  private ResponsesToChatErrorMapper() {}

  static ObjectNode body(int status, ObjectNode upstream) {
    JsonNode error = upstream == null ? null : upstream.get("error");
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode e = out.putObject("error");
    String message = null;
    if (error != null && error.isObject()) {
      message = error.path("message").asText(null);
    } else if (error != null && error.isTextual()) {
      message = error.textValue();
    } else if (upstream != null && upstream.path("detail").isTextual()) {
      message = upstream.path("detail").textValue();
    } else if (upstream != null && upstream.path("message").isTextual()) {
      message = upstream.path("message").textValue();
    }
    e.put("message", message != null ? message : "The upstream answered HTTP " + status);
    e.put(
        "type",
        error != null && error.path("type").isTextual()
            ? error.path("type").textValue()
            : status >= 500 ? "server_error" : "invalid_request_error");
    e.set("param", error != null && error.has("param") ? error.get("param") : null);
    if (e.get("param") == null) {
      e.putNull("param");
    }
    JsonNode code = error != null ? error.get("code") : null;
    if (code != null) {
      e.set("code", code);
    } else {
      e.putNull("code");
    }
    return out;
  }
}
