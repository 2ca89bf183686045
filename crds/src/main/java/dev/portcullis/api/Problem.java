package dev.portcullis.api;

/**
 * Something wrong with a resource, said so a person can fix it.
 *
 * @param field the field path in the resource, e.g. {@code spec.targets[1].credentials.secretRef}
 *     ({@code metadata} or empty for the resource as a whole)
 * @param message what is wrong and what to do; never contains a secret value
 */
public record Problem(String field, String message) {
  @Override
  public String toString() {
    return field == null || field.isEmpty() ? message : field + ": " + message;
  }
}
