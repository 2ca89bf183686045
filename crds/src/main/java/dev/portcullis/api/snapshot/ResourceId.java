package dev.portcullis.api.snapshot;

import java.util.Objects;

/**
 * Which resource generation a snapshot entry came from, so the fleet can report {@code Programmed}
 * per generation.
 *
 * @param uid the resource's {@code metadata.uid}, or null where there is none (manifest files,
 *     tests): tells a resource deleted and re-created with the same name from the old one, so
 *     figures kept per resource (key usage, prompt results) start afresh
 */
public record ResourceId(String namespace, String name, long generation, String uid) {
  public ResourceId {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** An id without a uid. */
  public ResourceId(String namespace, String name, long generation) {
    this(namespace, name, generation, null);
  }

  /** {@code namespace/name}, the form used in references and logs. */
  public String qualifiedName() {
    return namespace + "/" + name;
  }
}
