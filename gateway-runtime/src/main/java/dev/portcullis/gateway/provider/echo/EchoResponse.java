package dev.portcullis.gateway.provider.echo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.UpstreamResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A complete in-memory answer from the echo upstream, shaped like OpenAI's HTTP responses. */
final class EchoResponse implements UpstreamResponse {
  private final int status;
  private final Map<String, String> headers;
  private final InputStream body;

  private EchoResponse(int status, String contentType, byte[] body) {
    this.status = status;
    this.headers =
        Map.of(
            "content-type",
            contentType,
            "content-length",
            Integer.toString(body.length),
            "x-request-id",
            "req_echo_" + UUID.randomUUID().toString().replace("-", ""),
            "openai-processing-ms",
            "0");
    this.body = new ByteArrayInputStream(body);
  }

  static EchoResponse json(ObjectNode body) {
    return new EchoResponse(
        200, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** An SSE stream as OpenAI writes it: one {@code data:} line per chunk, then {@code [DONE]}. */
  static EchoResponse sse(List<ObjectNode> chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ObjectNode chunk : chunks) {
      out.writeBytes(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    return new EchoResponse(200, "text/event-stream; charset=utf-8", out.toByteArray());
  }

  /** An error in OpenAI's format, e.g. for a body the real API would also refuse. */
  static EchoResponse error(int status, String type, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    error.putNull("code");
    return new EchoResponse(
        status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public String header(String name) {
    return headers.get(name);
  }

  @Override
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public InputStream body() {
    return body;
  }

  @Override
  public void close() {
    // Nothing to release: the body is in memory.
  }
}
