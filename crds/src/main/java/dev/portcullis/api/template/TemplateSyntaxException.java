package dev.portcullis.api.template;

/** A message's content is not a template {@link TemplateSyntax} reads; the message says why. */
public final class TemplateSyntaxException extends IllegalArgumentException {
  TemplateSyntaxException(String message) {
    super(message);
  }

  TemplateSyntaxException(String message, Throwable cause) {
    super(message, cause);
  }
}
