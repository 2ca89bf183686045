package dev.portcullis.gateway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.json.Jackson;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The request as Conditional rules see it: {@code metadata.<key>} from the {@code
 * x-portcullis-metadata} header (a JSON object), {@code headers.<name>} and {@code
 * params.<name>[.<name>…]} from the parsed body. The metadata header is parsed only when a rule
 * asks for it.
 */
public final class RequestAttributes {
  public static final String METADATA_HEADER = "x-portcullis-metadata";
  private static final ObjectMapper JSON = Jackson.MAPPER;

  private final Map<String, String> headers;
  private final Supplier<JsonNode> body;
  private JsonNode metadata;

  /**
   * @param headers request headers by lower-case name
   * @param body the parsed request body, asked for only when a rule reads params
   */
  public RequestAttributes(Map<String, String> headers, Supplier<JsonNode> body) {
    this.headers = headers;
    this.body = body;
  }

  public static RequestAttributes none() {
    return new RequestAttributes(Map.of(), MissingNode::getInstance);
  }

  /**
   * The value of an attribute such as {@code metadata.tier}, {@code params.stream} or {@code
   * headers.x-team}; a missing node when the request has none.
   */
  public JsonNode get(String attribute) {
    int dot = attribute.indexOf('.');
    if (dot < 0) {
      return MissingNode.getInstance();
    }
    String rest = attribute.substring(dot + 1);
    return switch (attribute.substring(0, dot)) {
      // Metadata keys may contain dots themselves; the whole rest is the key.
      case "metadata" -> metadata().path(rest);
      case "headers" -> header(rest);
      case "params" -> param(rest);
      default -> MissingNode.getInstance();
    };
  }

  private JsonNode header(String name) {
    String value = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return value == null ? MissingNode.getInstance() : TextNode.valueOf(value);
  }

  private JsonNode param(String path) {
    JsonNode node = body.get();
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }

  private JsonNode metadata() {
    if (metadata == null) {
      String raw = headers.get(METADATA_HEADER);
      if (raw == null || raw.isBlank()) {
        metadata = MissingNode.getInstance();
      } else {
        try {
          metadata = JSON.readTree(raw);
        } catch (IOException e) {
          metadata = null;
        }
        if (metadata == null || !metadata.isObject()) {
          metadata = MissingNode.getInstance();
          throw new GatewayException(
              ErrorKind.BAD_REQUEST,
              "invalid_metadata",
              "Header "
                  + METADATA_HEADER
                  + " must be a JSON object, e.g. {\"tier\":\"pro\"}; this route routes on it.");
        }
      }
    }
    return metadata;
  }
}
