package dev.portcullis.api.snapshot;

import java.util.Objects;

/**
 * Which resource generation a snapshot entry came from, so the fleet can report {@code Programmed}
 * per generation.
 */
public record ResourceId(String namespace, String name, long generation) {
  public ResourceId {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** {@code namespace/name}, the form used in references and logs. */
  public String qualifiedName() {
    return namespace + "/" + name;
  }
}
