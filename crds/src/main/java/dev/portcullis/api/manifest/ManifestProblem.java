package dev.portcullis.api.manifest;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;

/**
 * A problem found while reading manifest files: a file that is not YAML, a document of an unknown
 * kind, a resource its CRD schema rejects.
 *
 * @param location the file (and document) it concerns
 * @param resource the resource it concerns, or null when none could be named
 * @param problem the field path and message
 */
public record ManifestProblem(ManifestLocation location, ResourceRef resource, Problem problem) {

  /**
   * One line a person can act on, e.g. {@code examples/bad/routes.yaml (LLMRoute default/chat)
   * spec.targets[0].timeouts.total: '30x' is not a duration: ...}.
   */
  public String describe() {
    return describe(location, resource, problem);
  }

  static String describe(ManifestLocation location, ResourceRef resource, Problem problem) {
    StringBuilder line = new StringBuilder();
    if (resource != null) {
      line.append(location == null ? "(no file)" : location.file())
          .append(" (")
          .append(resource)
          .append(')');
    } else {
      line.append(location == null ? "(no file)" : location);
    }
    boolean hasField = problem.field() != null && !problem.field().isEmpty();
    line.append(hasField ? " " + problem.field() + ": " : ": ").append(problem.message());
    return line.toString();
  }

  @Override
  public String toString() {
    return describe();
  }
}
