package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.endpoint.Endpoints;
import dev.portcullis.gateway.endpoint.UsageAccumulator;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.sse.SseEvent;
import dev.portcullis.gateway.sse.SseFramer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the usage in an event stream that is copied to the client byte for byte, without holding
 * the stream back: the bytes are looked at after they were sent. Events are found in the bytes
 * ({@link SseFramer}) and only those that mention usage are decoded and parsed; an event larger
 * than any usage event can be (64 KB) is not held or looked into.
 *
 * <p>When someone wants the copied events (the response's observers: the cache store, logged
 * bodies), each is decoded and handed on; an event past the cap is not. When no one does, an event
 * without usage costs a scan of its bytes and nothing else.
 *
 * <p>Not thread-safe; one per stream.
 */
final class UsageSniffer {
  static final int MAX_EVENT_BYTES = 64 * 1024;
  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

  private final UsageAccumulator usage;

  /** The format's usage key, quoted ({@code "usage"}, {@code "usageMetadata"}), in bytes. */
  private final byte[] quotedKey;

  private final Consumer<SseEvent> events;
  private final ResponseModel model;
  private final SseFramer framer = new SseFramer(MAX_EVENT_BYTES);
  private final SseFramer.Sink sink =
      (bytes, offset, length, complete) -> event(bytes, offset, length, complete);

  UsageSniffer(WireFormat upstreamFormat) {
    this(upstreamFormat, null, ResponseModel.ignored());
  }

  /**
   * @param events receives each event found in copied bytes, in order; null when no one wants them
   * @param model reads the answering model from the first events it asks for
   */
  UsageSniffer(WireFormat upstreamFormat, Consumer<SseEvent> events, ResponseModel model) {
    this.usage = new UsageAccumulator(upstreamFormat);
    this.quotedKey =
        ('"' + Endpoints.family(upstreamFormat).usageField() + '"')
            .getBytes(StandardCharsets.US_ASCII);
    this.events = events;
    this.model = model;
  }

  /** Copied bytes, as they were sent. */
  void accept(byte[] bytes, int length) {
    try {
      framer.feed(bytes, 0, length, sink);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the sink does no I/O
    }
  }

  /** Offers one already-parsed upstream event (translated streams). */
  void accept(SseEvent event) {
    if (event.data() != null && event.data().contains("usage")) {
      usage.accept(event);
    }
  }

  /**
   * Looks at one whole event of a stream relayed event by event as bytes (before it is sent), for
   * its usage.
   *
   * @return the event decoded, when it may carry usage or someone wants the events; else null
   */
  SseEvent acceptEvent(byte[] bytes, int offset, int length) {
    boolean mentionsUsage = mayCarryUsage(bytes, offset, length, quotedKey);
    boolean modelWanted = model.wantsEvents();
    if (!mentionsUsage && events == null && !modelWanted) {
      return null;
    }
    SseEvent event = SseFramer.parse(bytes, offset, length).orElse(null);
    if (event != null && mentionsUsage) {
      accept(event);
    }
    if (event != null && modelWanted) {
      model.event(event);
    }
    return event;
  }

  /** Hands an event the client got on to whoever wants the copied events. */
  void handOn(SseEvent event) {
    if (events != null && event != null) {
      events.accept(event);
    }
  }

  /**
   * False only when the event certainly has no usage object, as {@code
   * UsageAccumulator.mayCarryUsage} decides on decoded text, here on the bytes: every occurrence of
   * the quoted key is followed by {@code null} (OpenAI's {@code "usage":null} in every chunk once
   * usage is asked for), or there is none. Bytes with {@code \\u} escapes are always decoded.
   */
  static boolean mayCarryUsage(byte[] bytes, int offset, int length, byte[] quotedKey) {
    int end = offset + length;
    for (int at = offset; at < end; at++) {
      byte b = bytes[at];
      if (b == '\\' && at + 1 < end && bytes[at + 1] == 'u') {
        return true;
      }
      if (b != '"'
          || !SseFramer.contains(bytes, at, Math.min(quotedKey.length, end - at), quotedKey)) {
        continue;
      }
      int i = skipSpace(bytes, at + quotedKey.length, end);
      if (i >= end || bytes[i] != ':') {
        continue; // not a key here (e.g. the word inside a string)
      }
      i = skipSpace(bytes, i + 1, end);
      if (end - i < NULL.length || !SseFramer.contains(bytes, i, NULL.length, NULL)) {
        return true;
      }
    }
    return false;
  }

  private static int skipSpace(byte[] bytes, int i, int end) {
    while (i < end
        && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
      i++;
    }
    return i;
  }

  Optional<Usage> usage() {
    return usage.usage();
  }

  private void event(byte[] bytes, int offset, int length, boolean complete) {
    if (!complete || length > MAX_EVENT_BYTES) {
      return;
    }
    handOn(acceptEvent(bytes, offset, length));
  }

  /** A last event not followed by a blank line still counts. */
  void finish() {
    try {
      framer.finish(sink);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
