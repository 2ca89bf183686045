package dev.portcullis.gateway.endpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.SequencedMap;

/**
 * {@code GET /v1/models} in one format: the gateway answers it itself, listing the model names
 * (route models and aliases) a key may use.
 */
public interface ModelList {
  String PATH = "/v1/models";

  WireFormat format();

  /**
   * The list body.
   *
   * @param namespaceById each model name, in order, with the namespace of the route that serves it
   */
  ObjectNode render(SequencedMap<String, String> namespaceById);
}
