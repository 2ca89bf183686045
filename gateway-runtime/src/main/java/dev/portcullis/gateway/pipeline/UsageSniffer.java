package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.endpoint.UsageAccumulator;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the usage in an event stream that is copied to the client byte for byte, without holding
 * the stream back: the bytes are looked at after they were sent. Only the data lines of the event
 * being read are kept, and an event's data is dropped once it is larger than any usage event can
 * be; only events that mention usage are parsed.
 *
 * <p>The events it finds are also handed on (to the response's observers, which see a copied stream
 * event by event like a translated one); an event whose data passed the cap is not.
 *
 * <p>Not thread-safe; one per stream.
 */
final class UsageSniffer {
  private static final int MAX_DATA = 64 * 1024;

  private final UsageAccumulator usage;
  private final Consumer<SseEvent> events;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final StringBuilder data = new StringBuilder();
  private String eventName;
  private boolean lineTooLong;
  private boolean dataTooLong;
  private boolean afterCarriageReturn;

  UsageSniffer(WireFormat upstreamFormat) {
    this(upstreamFormat, event -> {});
  }

  /**
   * @param events receives each event found in copied bytes, in order
   */
  UsageSniffer(WireFormat upstreamFormat, Consumer<SseEvent> events) {
    this.usage = new UsageAccumulator(upstreamFormat);
    this.events = events;
  }

  void accept(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      byte b = bytes[i];
      if (b == '\n' && afterCarriageReturn) {
        afterCarriageReturn = false;
        continue;
      }
      afterCarriageReturn = b == '\r';
      if (b == '\n' || b == '\r') {
        endOfLine();
      } else if (line.size() < MAX_DATA) {
        line.write(b);
      } else {
        lineTooLong = true;
      }
    }
  }

  /** Offers one already-parsed upstream event (translated streams). */
  void accept(SseEvent event) {
    if (event.data() != null && event.data().contains("usage")) {
      usage.accept(event);
    }
  }

  Optional<Usage> usage() {
    return usage.usage();
  }

  private void endOfLine() {
    if (line.size() == 0 && !lineTooLong) {
      dispatch();
      return;
    }
    if (!lineTooLong) {
      String text = line.toString(StandardCharsets.UTF_8);
      if (text.startsWith("event:")) {
        eventName = text.substring(text.length() > 6 && text.charAt(6) == ' ' ? 7 : 6);
      } else if (text.startsWith("data:")) {
        String value = text.substring(text.length() > 5 && text.charAt(5) == ' ' ? 6 : 5);
        if (data.length() > 0) {
          data.append('\n');
        }
        if (data.length() + value.length() > MAX_DATA) {
          dataTooLong = true;
        } else {
          data.append(value);
        }
      }
    } else {
      dataTooLong = true;
    }
    line.reset();
    lineTooLong = false;
  }

  private void dispatch() {
    if (!dataTooLong && data.length() > 0) {
      SseEvent event = new SseEvent(eventName, data.toString());
      events.accept(event);
      accept(event);
    }
    data.setLength(0);
    dataTooLong = false;
    eventName = null;
  }

  /** A last event not followed by a blank line still counts. */
  void finish() {
    if (line.size() > 0 || lineTooLong) {
      endOfLine();
    }
    dispatch();
  }
}
