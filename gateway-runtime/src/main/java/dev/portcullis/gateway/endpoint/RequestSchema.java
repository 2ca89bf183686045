package dev.portcullis.gateway.endpoint;

import dev.portcullis.gateway.pipeline.RequestBody.FieldType;
import java.util.List;
import java.util.Map;

/**
 * The top-level fields an endpoint checks before routing: their JSON types and which are required.
 * Deeper validation is the upstream's job; the gateway only needs enough to route and to fail fast
 * with a message naming the field.
 */
public record RequestSchema(Map<String, FieldType> types, List<String> required) {
  public RequestSchema {
    types = Map.copyOf(types);
    required = List.copyOf(required);
  }
}
