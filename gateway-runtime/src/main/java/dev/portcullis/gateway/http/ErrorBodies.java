package dev.portcullis.gateway.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.WireFormat;

/** Renders an {@link ApiError} in a client's own error format. */
public final class ErrorBodies {
  private ErrorBodies() {}

  public static ObjectNode render(WireFormat format, ApiError error) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    if (format == WireFormat.ANTHROPIC) {
      root.put("type", "error");
      ObjectNode e = root.putObject("error");
      e.put("type", error.kind().anthropicType());
      e.put("message", error.message());
    } else {
      ObjectNode e = root.putObject("error");
      e.put("message", error.message());
      e.put("type", error.kind().openAiType());
      if (error.param() != null) {
        e.put("param", error.param());
      } else {
        e.putNull("param");
      }
      if (error.code() != null) {
        e.put("code", error.code());
      } else {
        e.putNull("code");
      }
    }
    return root;
  }
}
