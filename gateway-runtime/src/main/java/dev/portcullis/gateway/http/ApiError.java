package dev.portcullis.gateway.http;

/**
 * An error answered to a client, before it is put in the client's own format. The message says what
 * to fix and never echoes secrets or matched content.
 *
 * @param param the offending request field, or null
 */
public record ApiError(ErrorKind kind, String code, String message, String param) {

  public static ApiError of(ErrorKind kind, String code, String message) {
    return new ApiError(kind, code, message, null);
  }

  public int status() {
    return kind.status();
  }

  /** The kinds of error the gateway answers, with their status and per-format type names. */
  public enum ErrorKind {
    BAD_REQUEST(400, "invalid_request_error", "invalid_request_error"),
    UNAUTHENTICATED(401, "invalid_request_error", "authentication_error"),
    FORBIDDEN(403, "invalid_request_error", "permission_error"),
    NOT_FOUND(404, "invalid_request_error", "not_found_error"),
    METHOD_NOT_ALLOWED(405, "invalid_request_error", "invalid_request_error"),
    REQUEST_TIMEOUT(408, "invalid_request_error", "invalid_request_error"),
    PAYLOAD_TOO_LARGE(413, "invalid_request_error", "request_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error", "invalid_request_error"),
    HEADERS_TOO_LARGE(431, "invalid_request_error", "invalid_request_error"),
    RATE_LIMITED(429, "requests", "rate_limit_error"),
    QUOTA_EXCEEDED(429, "insufficient_quota", "rate_limit_error"),
    INTERNAL(500, "server_error", "api_error"),
    NOT_IMPLEMENTED(501, "invalid_request_error", "invalid_request_error"),
    BAD_GATEWAY(502, "server_error", "api_error"),
    UNAVAILABLE(503, "server_error", "overloaded_error"),
    GATEWAY_TIMEOUT(504, "server_error", "api_error"),
    HTTP_VERSION_NOT_SUPPORTED(505, "invalid_request_error", "invalid_request_error");

    private final int status;
    private final String openAiType;
    private final String anthropicType;

    ErrorKind(int status, String openAiType, String anthropicType) {
      this.status = status;
      this.openAiType = openAiType;
      this.anthropicType = anthropicType;
    }

    public int status() {
      return status;
    }

    public String openAiType() {
      return openAiType;
    }

    public String anthropicType() {
      return anthropicType;
    }

    /** The closest kind for an upstream status passed through to a client. */
    public static ErrorKind forStatus(int status) {
      for (ErrorKind k : values()) {
        // 501 and 505 describe the client's HTTP; an upstream's stays a bad gateway.
        if (k.status == status && k != NOT_IMPLEMENTED && k != HTTP_VERSION_NOT_SUPPORTED) {
          return k;
        }
      }
      return status >= 500 ? BAD_GATEWAY : BAD_REQUEST;
    }
  }
}
