package dev.portcullis.gateway.endpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.Optional;

/**
 * Collects {@link Usage} from an upstream event stream: feed it every upstream event, in order, and
 * read {@link #usage()} when the stream ends. Events that carry no usage, are not JSON or are
 * {@code [DONE]} are ignored, so it can sit beside any translator. Only events that may carry usage
 * are parsed; what a parsed event means is the format's {@link FormatFamily.StreamUsageReader}.
 *
 * <p>Not thread-safe; one per stream.
 */
public final class UsageAccumulator {
  private static final ObjectMapper JSON = Jackson.MAPPER;

  private final String quotedUsageKey;
  private final FormatFamily.StreamUsageReader reader;

  public UsageAccumulator(WireFormat format) {
    FormatFamily family = Endpoints.family(format);
    this.quotedUsageKey = '"' + family.usageField() + '"';
    this.reader = family.streamUsage();
  }

  public void accept(SseEvent event) {
    String data = event.data();
    if (data == null || data.isEmpty() || data.charAt(0) != '{') {
      return;
    }
    if (!mayCarryUsage(data, quotedUsageKey)) {
      return; // most chunks: parsing them would find nothing
    }
    JsonNode node;
    try {
      node = JSON.readTree(data);
    } catch (JsonProcessingException e) {
      return;
    }
    reader.accept(node);
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

  /** The usage seen so far; empty when the stream carried none. */
  public Optional<Usage> usage() {
    return reader.usage();
  }
}
