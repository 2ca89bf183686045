package dev.portcullis.gateway.guardrail;

/**
 * A check's settings cannot be compiled (a pattern RE2 rejects, a schema that is not a schema). The
 * message names the field, e.g. {@code regex.pattern}, and never the content checked.
 */
public final class GuardrailCompileException extends RuntimeException {
  public GuardrailCompileException(String message) {
    super(message);
  }

  public GuardrailCompileException(String message, Throwable cause) {
    super(message, cause);
  }
}
