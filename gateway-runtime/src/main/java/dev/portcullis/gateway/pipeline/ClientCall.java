package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.endpoint.Endpoint;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.Map;

/**
 * One client request as the HTTP layer hands it to the pipeline.
 *
 * @param endpoint the client endpoint called, which fixes the format and the operation
 * @param apiKey the presented virtual key, or null
 * @param headers request headers by lower-case name
 * @param pathParameters the values of the endpoint path's {@code {name}} segments (e.g. the
 *     template of {@code /v1/prompts/{name}/completions}); empty for a fixed path
 */
public record ClientCall(
    Endpoint endpoint,
    String apiKey,
    byte[] body,
    Map<String, String> headers,
    String requestId,
    Map<String, String> pathParameters) {

  public ClientCall {
    pathParameters = Map.copyOf(pathParameters);
  }

  /** A call to an endpoint with a fixed path. */
  public ClientCall(
      Endpoint endpoint,
      String apiKey,
      byte[] body,
      Map<String, String> headers,
      String requestId) {
    this(endpoint, apiKey, body, headers, requestId, Map.of());
  }

  /** The value of the path segment {@code {name}}, or null. */
  public String pathParameter(String name) {
    return pathParameters.get(name);
  }

  public WireFormat format() {
    return endpoint.format();
  }

  public Operation operation() {
    return endpoint.operation();
  }

  @Override
  public String toString() {
    return "ClientCall[" + endpoint.path() + ", id=" + requestId + "]";
  }
}
