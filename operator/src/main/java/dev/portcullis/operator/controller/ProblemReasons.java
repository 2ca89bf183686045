package dev.portcullis.operator.controller;

import dev.portcullis.api.Problem;
import dev.portcullis.operator.snapshot.Kinds;

/**
 * Sorts a resolver problem under the condition it belongs to and gives it a reason word. The
 * resolver reports one list of problems per resource; status splits them into {@code Accepted} (the
 * spec itself is wrong) and {@code ResolvedRefs} (something it names is missing, refused or
 * broken). The resolver's messages are written to a fixed pattern ("Secret ns/x does not exist",
 * "... does not admit namespace ...") and its tests pin them, so matching their wording here is
 * stable; anything unrecognised counts as a spec problem, which is the safe side (the message is
 * shown either way).
 */
public final class ProblemReasons {
  public enum Condition {
    ACCEPTED,
    RESOLVED_REFS
  }

  public record Classified(Condition condition, String reason) {}

  public static final String INVALID = "Invalid";
  public static final String MODEL_NAME_CONFLICT = "ModelNameConflict";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String SECRET_KEY_NOT_FOUND = "SecretKeyNotFound";
  public static final String INVALID_SECRET = "InvalidSecret";
  public static final String SECRET_NOT_OWNED = "SecretNotOwned";
  public static final String KEY_NOT_MINTED = "KeyNotMinted";
  public static final String SECRET_WRITE_FAILED = "SecretWriteFailed";

  /** How {@link VirtualKeyReconciler} words a key Secret the API server refused to write. */
  public static final String SECRET_WRITE_FAILED_PREFIX = "the operator could not write Secret ";

  public static final String REF_NOT_FOUND = "RefNotFound";
  public static final String REF_NOT_PERMITTED = "RefNotPermitted";
  public static final String REF_NOT_READY = "RefNotReady";
  public static final String ROUTE_CYCLE = "RouteCycle";

  private ProblemReasons() {}

  public static Classified classify(String kind, Problem problem) {
    String m = problem.message();
    if (m.startsWith(SECRET_WRITE_FAILED_PREFIX)) {
      return refs(SECRET_WRITE_FAILED);
    }
    if (m.contains(" is not owned by VirtualKey ")) {
      return refs(SECRET_NOT_OWNED);
    }
    if (m.startsWith("Secret ") && m.contains(" does not exist")) {
      return refs(
          Kinds.KEY.equals(kind) && "spec.secretName".equals(problem.field())
              ? KEY_NOT_MINTED
              : SECRET_NOT_FOUND);
    }
    if (m.startsWith("Secret ") && m.contains(" has no data key ")) {
      return refs(SECRET_KEY_NOT_FOUND);
    }
    if ((m.startsWith("data key ") && (m.endsWith(" is empty") || m.contains("not valid base64")))
        || (m.startsWith("Secret ") && m.contains(" is defined "))
        || problem.field().contains("(annotation ")) {
      return refs(INVALID_SECRET);
    }
    if (m.contains(" does not admit namespace ") || m.contains(" only from its own namespace ")) {
      return refs(REF_NOT_PERMITTED);
    }
    if (m.contains(" is left out of the snapshot ")) {
      return refs(REF_NOT_READY);
    }
    if (m.contains(" form a cycle")) {
      return refs(ROUTE_CYCLE);
    }
    if (m.contains(" does not exist")) {
      return refs(REF_NOT_FOUND);
    }
    if (m.contains(" is already used by LLMRoute ")) {
      return new Classified(Condition.ACCEPTED, MODEL_NAME_CONFLICT);
    }
    return new Classified(Condition.ACCEPTED, INVALID);
  }

  private static Classified refs(String reason) {
    return new Classified(Condition.RESOLVED_REFS, reason);
  }
}
