package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code /_fake/*}: lets a test or benchmark that runs the fake as a separate process read what it
 * recorded and change its default behaviour. Not counted as API traffic.
 *
 * <ul>
 *   <li>{@code GET /_fake/requests}: the recorded requests, oldest first
 *   <li>{@code GET /_fake/stats}: the counters
 *   <li>{@code POST /_fake/reset}: clear requests, counters and {@code fail-times} scenarios
 *   <li>{@code GET /_fake/behaviour}, {@code PUT /_fake/behaviour} (body: the text form): read or
 *       replace the default behaviour
 * </ul>
 */
final class FakeControlHandler implements Handler {
  private final FakeUpstream fake;

  FakeControlHandler(FakeUpstream fake) {
    this.fake = fake;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    String method = req.prologue().method().text();
    String path = req.path().path();
    switch (method + " " + path) {
      case "GET /_fake/requests" -> json(res, requests());
      case "GET /_fake/stats" -> json(res, stats());
      case "POST /_fake/reset" -> {
        fake.reset();
        res.status(Status.NO_CONTENT_204).send();
      }
      case "GET /_fake/behaviour" -> text(res, Status.OK_200, fake.defaultBehaviour().toSpec());
      case "PUT /_fake/behaviour", "POST /_fake/behaviour" -> {
        String spec = req.content().hasEntity() ? req.content().as(String.class) : "";
        try {
          fake.setDefaultBehaviour(Behaviour.parse(spec.strip()));
          text(res, Status.OK_200, fake.defaultBehaviour().toSpec());
        } catch (IllegalArgumentException e) {
          text(res, Status.BAD_REQUEST_400, e.getMessage());
        }
      }
      default -> text(res, Status.NOT_FOUND_404, "unknown fake control endpoint " + path);
    }
  }

  private ArrayNode requests() {
    ArrayNode array = JsonText.MAPPER.createArrayNode();
    for (RecordedRequest request : fake.requests()) {
      ObjectNode node = array.addObject();
      node.put("receivedAt", request.receivedAt().toString());
      node.put("method", request.method());
      node.put("path", request.path());
      node.put("query", request.query());
      ObjectNode headers = node.putObject("headers");
      for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
        ArrayNode values = headers.putArray(header.getKey());
        header.getValue().forEach(values::add);
      }
      node.put("apiKey", request.apiKey());
      try {
        node.put(
            "body",
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(request.body())).toString());
      } catch (CharacterCodingException e) {
        node.put("bodyBase64", Base64.getEncoder().encodeToString(request.body()));
      }
    }
    return array;
  }

  private ObjectNode stats() {
    ObjectNode node = JsonText.MAPPER.createObjectNode();
    node.put("requests", fake.requestCount());
    node.put("inFlight", fake.inFlight());
    node.put("maxInFlight", fake.maxInFlight());
    node.put("connections", fake.connectionsAccepted());
    node.put("cancelled", fake.cancelled());
    return node;
  }

  private static void json(ServerResponse res, JsonNode node) {
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(JsonText.write(node));
  }

  private static void text(ServerResponse res, Status status, String body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    res.send(body);
  }
}
