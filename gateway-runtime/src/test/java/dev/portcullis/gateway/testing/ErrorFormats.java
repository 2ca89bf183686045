package dev.portcullis.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Assertions that an error body is in a client format's own shape, and nothing else. */
public final class ErrorFormats {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorFormats() {}

  /** OpenAI: {@code {"error":{"message","type","param","code"}}}; returns the error object. */
  public static JsonNode assertOpenAiError(String body) {
    JsonNode root = parse(body);
    assertThat(root.has("type")).as("an OpenAI error has no top-level type: %s", body).isFalse();
    JsonNode error = root.path("error");
    assertThat(error.path("message").isTextual()).as("error.message in %s", body).isTrue();
    assertThat(error.path("type").isTextual()).as("error.type in %s", body).isTrue();
    assertNoStackTrace(body);
    return error;
  }

  /** Anthropic: {@code {"type":"error","error":{"type","message"}}}; returns the error object. */
  public static JsonNode assertAnthropicError(String body) {
    JsonNode root = parse(body);
    assertThat(root.path("type").asText()).as("type in %s", body).isEqualTo("error");
    JsonNode error = root.path("error");
    assertThat(error.path("message").isTextual()).as("error.message in %s", body).isTrue();
    assertThat(error.path("type").isTextual()).as("error.type in %s", body).isTrue();
    assertNoStackTrace(body);
    return error;
  }

  public static void assertNoStackTrace(String body) {
    SecretScan.observed("an error body", body);
    assertThat(body).doesNotContain("Exception", "\tat ", ".java:", "at io.helidon", "at dev.");
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }
}
