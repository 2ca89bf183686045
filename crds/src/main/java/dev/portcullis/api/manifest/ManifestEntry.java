package dev.portcullis.api.manifest;

import dev.portcullis.api.ResourceRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A resource read from a manifest file, with where it came from.
 *
 * @param resource the typed resource; its namespace is set ({@code default} when the file named
 *     none)
 * @param location the file and document it was read from
 */
public record ManifestEntry<T extends HasMetadata>(T resource, ManifestLocation location) {

  /** The kind, namespace and name of the resource. */
  public ResourceRef ref() {
    return new ResourceRef(
        resource.getKind(),
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName());
  }

  /** Names the resource and its file only: a Secret's data must never reach a log. */
  @Override
  public String toString() {
    return ref() + " from " + location;
  }
}
