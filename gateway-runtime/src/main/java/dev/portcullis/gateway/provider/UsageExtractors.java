package dev.portcullis.gateway.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Reads {@link Usage} from a complete (non-streamed) response body in each wire format. Streams go
 * through {@link UsageAccumulator} instead. Missing fields count as zero; a body without a usage
 * object yields empty.
 */
public final class UsageExtractors {
  private UsageExtractors() {}

  public static Optional<Usage> forFormat(WireFormat format, ObjectNode body) {
    return switch (format) {
      case OPENAI -> openAi(body);
      case ANTHROPIC -> anthropic(body);
      case GEMINI -> gemini(body);
    };
  }

  /**
   * OpenAI chat completion, legacy completion or embeddings body: {@code usage.prompt_tokens},
   * {@code usage.completion_tokens} (absent for embeddings), {@code
   * usage.prompt_tokens_details.cached_tokens}.
   */
  public static Optional<Usage> openAi(ObjectNode body) {
    return openAiUsage(body.get("usage"));
  }

  /**
   * Anthropic message body: {@code usage.input_tokens} excludes cache reads and writes, so they are
   * added back to get every prompt token.
   */
  public static Optional<Usage> anthropic(ObjectNode body) {
    return anthropicUsage(body.get("usage"));
  }

  /**
   * Gemini generateContent body: {@code usageMetadata.promptTokenCount} (cached included), {@code
   * candidatesTokenCount + thoughtsTokenCount} (thinking is billed as output), {@code
   * cachedContentTokenCount}.
   */
  public static Optional<Usage> gemini(ObjectNode body) {
    JsonNode u = body.get("usageMetadata");
    if (u == null || !u.isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        new Usage(
            count(u, "promptTokenCount"),
            count(u, "candidatesTokenCount") + count(u, "thoughtsTokenCount"),
            count(u, "cachedContentTokenCount")));
  }

  static Optional<Usage> openAiUsage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        new Usage(
            count(u, "prompt_tokens"),
            count(u, "completion_tokens"),
            count(u.path("prompt_tokens_details"), "cached_tokens")));
  }

  static Optional<Usage> anthropicUsage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return Optional.empty();
    }
    long cacheRead = count(u, "cache_read_input_tokens");
    return Optional.of(
        new Usage(
            count(u, "input_tokens") + cacheRead + count(u, "cache_creation_input_tokens"),
            count(u, "output_tokens"),
            cacheRead));
  }

  static long count(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.canConvertToLong() ? Math.max(0, value.asLong()) : 0;
  }
}
