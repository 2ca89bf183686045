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
 */
public record ClientCall(
    Endpoint endpoint, String apiKey, byte[] body, Map<String, String> headers, String requestId) {

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
