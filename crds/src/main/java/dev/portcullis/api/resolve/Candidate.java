package dev.portcullis.api.resolve;

import dev.portcullis.api.Durations;
import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.snapshot.ResourceId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One resource on its way into the snapshot: what is wrong with it so far, which other resources it
 * needs in the snapshot too, and (once it resolved) its config record.
 *
 * @param <C> the snapshot record of its kind
 */
final class Candidate<C> {
  final ResourceRef ref;
  final ResourceId id;
  final List<Problem> problems = new ArrayList<>();
  final List<Dependency> dependencies = new ArrayList<>();
  C config;

  Candidate(ResourceRef ref, long generation, String uid) {
    this.ref = ref;
    this.id = new ResourceId(ref.namespace(), ref.name(), generation, uid);
  }

  /**
   * A resource this one cannot be served without; when that one is left out, this one is too.
   *
   * @param field where this resource names it
   */
  record Dependency(String field, ResourceRef target) {}

  String namespace() {
    return ref.namespace();
  }

  boolean isClean() {
    return problems.isEmpty();
  }

  void problem(String field, String message) {
    problems.add(new Problem(field, message));
  }

  void dependsOn(String field, ResourceRef target) {
    dependencies.add(new Dependency(field, target));
  }

  /** The parsed duration, or null (absent, or a problem recorded at {@code field}). */
  Duration duration(String text, String field) {
    if (text == null) {
      return null;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      problem(field, e.getMessage());
      return null;
    }
  }

  /** The parsed duration, or {@code absent} when there is none. */
  Duration duration(String text, String field, Duration absent) {
    return text == null ? absent : duration(text, field);
  }

  /** A USD amount, or null (absent, or a problem recorded at {@code field}). */
  BigDecimal money(String text, String field) {
    if (text == null) {
      return null;
    }
    try {
      BigDecimal amount = new BigDecimal(text.strip());
      if (amount.signum() < 0) {
        problem(field, "'" + text + "' is negative; write a USD amount such as \"100.00\"");
        return null;
      }
      return amount;
    } catch (NumberFormatException e) {
      problem(field, "'" + text + "' is not a USD amount; write a decimal such as \"100.00\"");
      return null;
    }
  }

  /** An RFC 3339 timestamp, or null (absent, or a problem recorded at {@code field}). */
  Instant timestamp(String text, String field) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeParseException e) {
      problem(
          field, "'" + text + "' is not an RFC 3339 timestamp; write e.g. 2027-01-01T00:00:00Z");
      return null;
    }
  }
}
