package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.Map;

/**
 * One client request as the HTTP layer hands it to the pipeline.
 *
 * @param apiKey the presented virtual key, or null
 * @param headers request headers by lower-case name
 */
public record ClientCall(
    WireFormat format,
    Operation operation,
    String apiKey,
    byte[] body,
    Map<String, String> headers,
    String requestId) {

  @Override
  public String toString() {
    return "ClientCall[" + format + " " + operation + ", id=" + requestId + "]";
  }
}
