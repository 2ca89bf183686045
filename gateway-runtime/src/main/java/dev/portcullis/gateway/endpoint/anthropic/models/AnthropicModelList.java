package dev.portcullis.gateway.endpoint.anthropic.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.ModelList;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.SequencedMap;

/**
 * Anthropic {@code GET /v1/models}: {@code {"data":[{type,id,display_name,created_at}],
 * "has_more","first_id","last_id"}}, one page holding every model.
 */
public final class AnthropicModelList implements ModelList {
  @Override
  public WireFormat format() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  public ObjectNode render(SequencedMap<String, String> namespaceById) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode data = body.putArray("data");
    for (String id : namespaceById.keySet()) {
      data.addObject()
          .put("type", "model")
          .put("id", id)
          .put("display_name", id)
          .put("created_at", "1970-01-01T00:00:00Z");
    }
    body.put("has_more", false);
    body.put("first_id", namespaceById.isEmpty() ? null : namespaceById.firstEntry().getKey());
    body.put("last_id", namespaceById.isEmpty() ? null : namespaceById.lastEntry().getKey());
    return body;
  }
}
