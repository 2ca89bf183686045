package dev.portcullis.gateway.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.Optional;

/**
 * Collects {@link Usage} from an upstream event stream: feed it every upstream event, in order, and
 * read {@link #usage()} when the stream ends. Events that carry no usage, are not JSON or are
 * {@code [DONE]} are ignored, so it can sit beside any translator.
 *
 * <ul>
 *   <li>OpenAI: the chunk with a non-null {@code usage} (sent last when {@code
 *       stream_options.include_usage} is set; some compatible servers repeat it, the last wins).
 *   <li>Anthropic: {@code message_start.message.usage} gives input and cache counts; each {@code
 *       message_delta.usage} carries the cumulative output count and may restate input counts.
 *   <li>Gemini: every chunk's {@code usageMetadata} is cumulative; the last wins.
 * </ul>
 *
 * <p>Not thread-safe; one per stream.
 */
public final class UsageAccumulator {
  private static final ObjectMapper JSON = Jackson.MAPPER;

  private final WireFormat format;
  private boolean seen;
  private long input;
  private long cacheRead;
  private long cacheCreation;
  private long output;
  private Usage last;

  public UsageAccumulator(WireFormat format) {
    this.format = format;
  }

  public void accept(SseEvent event) {
    String data = event.data();
    if (data == null || data.isEmpty() || data.charAt(0) != '{') {
      return;
    }
    if (!mayCarryUsage(data, format == WireFormat.GEMINI ? "\"usageMetadata\"" : "\"usage\"")) {
      return; // most chunks: parsing them would find nothing
    }
    JsonNode node;
    try {
      node = JSON.readTree(data);
    } catch (JsonProcessingException e) {
      return;
    }
    switch (format) {
      case OPENAI -> UsageExtractors.openAiUsage(node.get("usage")).ifPresent(u -> last = u);
      case GEMINI -> {
        if (node instanceof ObjectNode object) {
          UsageExtractors.gemini(object).ifPresent(u -> last = u);
        }
      }
      case ANTHROPIC -> acceptAnthropic(node);
    }
  }

  /**
   * False only when the event certainly has no usage object: every occurrence of the quoted key is
   * followed by {@code null} (OpenAI sends {@code "usage":null} in every chunk once asked), or
   * there is none. Data with {@code \\u} escapes, which could spell the key, is always parsed.
   */
  static boolean mayCarryUsage(String data, String quotedKey) {
    if (data.contains("\\u")) {
      return true;
    }
    for (int at = data.indexOf(quotedKey); at >= 0; at = data.indexOf(quotedKey, at + 1)) {
      int i = skipSpace(data, at + quotedKey.length());
      if (i >= data.length() || data.charAt(i) != ':') {
        continue; // not a key here (e.g. the word inside a string)
      }
      i = skipSpace(data, i + 1);
      if (!data.startsWith("null", i)) {
        return true;
      }
    }
    return false;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length()
        && (s.charAt(i) == ' '
            || s.charAt(i) == '\t'
            || s.charAt(i) == '\n'
            || s.charAt(i) == '\r')) {
      i++;
    }
    return i;
  }

  private void acceptAnthropic(JsonNode node) {
    String type = node.path("type").asText();
    JsonNode u =
        switch (type) {
          case "message_start" -> node.path("message").get("usage");
          case "message_delta" -> node.get("usage");
          default -> null;
        };
    if (u == null || !u.isObject()) {
      return;
    }
    seen = true;
    // Later events restate counts cumulatively; a field absent from one event keeps its value.
    input = restated(u, "input_tokens", input);
    cacheRead = restated(u, "cache_read_input_tokens", cacheRead);
    cacheCreation = restated(u, "cache_creation_input_tokens", cacheCreation);
    output = restated(u, "output_tokens", output);
  }

  private static long restated(JsonNode usage, String field, long previous) {
    JsonNode value = usage.get(field);
    return value != null && value.canConvertToLong() ? Math.max(0, value.asLong()) : previous;
  }

  /** The usage seen so far; empty when the stream carried none. */
  public Optional<Usage> usage() {
    if (format == WireFormat.ANTHROPIC) {
      return seen
          ? Optional.of(new Usage(input + cacheRead + cacheCreation, output, cacheRead))
          : Optional.empty();
    }
    return Optional.ofNullable(last);
  }
}
