package dev.portcullis.api.snapshot;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * An immutable view of free-form JSON from a resource (forced params, matcher trees, check
 * settings). Hands out deep copies so no holder can change a snapshot.
 */
public final class JsonTree {
  public static final JsonTree EMPTY = new JsonTree(MissingNode.getInstance());

  private final JsonNode node;

  private JsonTree(JsonNode node) {
    this.node = node;
  }

  @JsonCreator
  public static JsonTree of(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode()
        ? EMPTY
        : new JsonTree(node.deepCopy());
  }

  /** A private copy the caller may change. */
  public JsonNode copy() {
    return node.deepCopy();
  }

  @JsonValue
  JsonNode json() {
    return node.isMissingNode() ? null : node;
  }

  public boolean isEmpty() {
    return node.isMissingNode() || node.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonTree other && node.equals(other.node);
  }

  @Override
  public int hashCode() {
    return node.hashCode();
  }

  @Override
  public String toString() {
    return node.toString();
  }
}
