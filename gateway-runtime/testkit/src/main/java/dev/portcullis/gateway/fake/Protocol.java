package dev.portcullis.gateway.fake;

import java.nio.charset.StandardCharsets;

/** The three wire protocols the fake speaks, and how each one reports an error. */
enum Protocol {
  /** OpenAI: {@code {"error":{"message","type","param","code"}}}. */
  OPENAI("x-request-id") {
    @Override
    String errorJson(int status, String message) {
      String type;
      String code;
      switch (status) {
        case 401 -> {
          type = "invalid_request_error";
          code = "invalid_api_key";
        }
        case 403 -> {
          type = "invalid_request_error";
          code = "unsupported_country_region_territory";
        }
        case 404 -> {
          type = "invalid_request_error";
          code = "model_not_found";
        }
        case 429 -> {
          type = "requests";
          code = "rate_limit_exceeded";
        }
        default -> {
          type = status >= 500 ? "server_error" : "invalid_request_error";
          code = null;
        }
      }
      return "{\"error\":{\"message\":"
          + JsonText.quoted(message)
          + ",\"type\":"
          + JsonText.quoted(type)
          + ",\"param\":null,\"code\":"
          + JsonText.quoted(code)
          + "}}";
    }
  },

  /** Anthropic: {@code {"type":"error","error":{"type","message"}}}. */
  ANTHROPIC("request-id") {
    @Override
    String errorJson(int status, String message) {
      String type =
          switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
          };
      return "{\"type\":\"error\",\"error\":{\"type\":"
          + JsonText.quoted(type)
          + ",\"message\":"
          + JsonText.quoted(message)
          + "}}";
    }
  },

  /** Gemini (Google API errors): {@code {"error":{"code","message","status"}}}. */
  GEMINI(null) {
    @Override
    String errorJson(int status, String message) {
      String statusName =
          switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
          };
      return "{\"error\":{\"code\":"
          + status
          + ",\"message\":"
          + JsonText.quoted(message)
          + ",\"status\":\""
          + statusName
          + "\"}}";
    }
  };

  private final String requestIdHeader;

  Protocol(String requestIdHeader) {
    this.requestIdHeader = requestIdHeader;
  }

  abstract String errorJson(int status, String message);

  byte[] errorBody(int status, String message) {
    return errorJson(status, message).getBytes(StandardCharsets.UTF_8);
  }

  /** The response header that carries a request id in this protocol, or {@code null}. */
  String requestIdHeader() {
    return requestIdHeader;
  }
}
