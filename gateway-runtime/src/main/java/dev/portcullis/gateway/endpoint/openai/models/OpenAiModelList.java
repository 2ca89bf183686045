package dev.portcullis.gateway.endpoint.openai.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.ModelList;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.Map;
import java.util.SequencedMap;

/**
 * OpenAI {@code GET /v1/models}: {@code {"object":"list","data":[{id,object,created,owned_by}]}}.
 */
public final class OpenAiModelList implements ModelList {
  @Override
  public WireFormat format() {
    return WireFormat.OPENAI;
  }

  @Override
  public ObjectNode render(SequencedMap<String, String> namespaceById) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    for (Map.Entry<String, String> model : namespaceById.entrySet()) {
      data.addObject()
          .put("id", model.getKey())
          .put("object", "model")
          .put("created", 0)
          .put("owned_by", model.getValue());
    }
    return body;
  }
}
