package dev.portcullis.gateway.endpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.Optional;

/**
 * What every endpoint of one wire format shares on the upstream side: where an answer carries its
 * usage. Any format an upstream speaks has one (Gemini included, which no client speaks).
 */
public interface FormatFamily {
  WireFormat format();

  /** The top-level field of a whole answer that holds its usage. */
  String usageField();

  /**
   * The usage of a whole answer. Missing counts are zero; an answer without a usage object has
   * none.
   */
  Optional<Usage> usage(ObjectNode answer);

  /** A new reader for one stream's usage events. */
  StreamUsageReader streamUsage();

  /** Reads the usage of one stream from its events, in order. Not thread-safe; one per stream. */
  interface StreamUsageReader {
    /** One event's data, parsed, that may carry usage. */
    void accept(com.fasterxml.jackson.databind.JsonNode event);

    /** The usage seen so far; empty when the stream carried none. */
    Optional<Usage> usage();
  }
}
