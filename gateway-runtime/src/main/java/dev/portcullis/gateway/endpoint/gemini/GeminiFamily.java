package dev.portcullis.gateway.endpoint.gemini;

import static dev.portcullis.gateway.endpoint.UsageExtractors.count;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.FormatFamily;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.Optional;

/**
 * Gemini's native format, which only upstreams speak (no client endpoint): all the gateway reads
 * from it directly is the usage, in {@code usageMetadata}.
 */
public final class GeminiFamily implements FormatFamily {
  public static final GeminiFamily INSTANCE = new GeminiFamily();

  private GeminiFamily() {}

  @Override
  public WireFormat format() {
    return WireFormat.GEMINI;
  }

  @Override
  public String usageField() {
    return "usageMetadata";
  }

  /**
   * generateContent body: {@code usageMetadata.promptTokenCount} (cached included), {@code
   * candidatesTokenCount + thoughtsTokenCount} (thinking is billed as output), {@code
   * cachedContentTokenCount}.
   */
  @Override
  public Optional<Usage> usage(ObjectNode answer) {
    JsonNode u = answer.get("usageMetadata");
    if (u == null || !u.isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        new Usage(
            count(u, "promptTokenCount"),
            count(u, "candidatesTokenCount") + count(u, "thoughtsTokenCount"),
            count(u, "cachedContentTokenCount")));
  }

  /** Every chunk's {@code usageMetadata} is cumulative; the last wins. */
  @Override
  public StreamUsageReader streamUsage() {
    return new StreamUsageReader() {
      private Usage last;

      @Override
      public void accept(JsonNode event) {
        if (event instanceof ObjectNode object) {
          GeminiFamily.this.usage(object).ifPresent(u -> last = u);
        }
      }

      @Override
      public Optional<Usage> usage() {
        return Optional.ofNullable(last);
      }
    };
  }
}
