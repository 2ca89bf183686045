package dev.portcullis.gateway.http;

import dev.portcullis.gateway.http.ApiError.ErrorKind;

/**
 * Ends a request with an {@link ApiError}. Thrown by pipeline stages; the endpoint renders it in
 * the caller's format. Carries no stack trace: it is an answer, not a bug.
 */
public final class GatewayException extends RuntimeException {
  private final transient ApiError error;

  public GatewayException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public GatewayException(ErrorKind kind, String code, String message) {
    this(ApiError.of(kind, code, message));
  }

  public GatewayException(ErrorKind kind, String code, String message, String param) {
    this(new ApiError(kind, code, message, param));
  }

  public ApiError error() {
    return error;
  }
}
