package dev.portcullis.api.resolve;

/** PLACEHOLDER for the resolver branch's type of the same name; replaced by it at merge. */
public final class SnapshotResolver {
  private SnapshotResolver() {}

  public static Resolution resolve(ResourceSet resources) {
    throw new UnsupportedOperationException("the resolver lands with the resolver branch");
  }
}
