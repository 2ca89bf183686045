package dev.portcullis.api.validation;

import dev.portcullis.api.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * Placeholder on the {@code resolver} branch so the resolver compiles; the real business-rule
 * validator comes from the {@code validation} branch and replaces this file at merge.
 */
public final class ResourceValidator {
  private ResourceValidator() {}

  public static List<Problem> validate(HasMetadata resource) {
    return List.of();
  }
}
