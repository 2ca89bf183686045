package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.endpoint.ClientFormatFamily;
import dev.portcullis.gateway.http.ApiError;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.sse.SseEvent;
import dev.portcullis.gateway.sse.SseFramer;
import dev.portcullis.gateway.sse.SseReader;
import dev.portcullis.gateway.sse.SseWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves an upstream event stream to the client as it arrives: copied, what each read brought is
 * flushed at once; translated, every event is flushed on its own. The two ways it can break are
 * kept apart: the upstream failing mid-stream ends the client's stream with a well-formed error
 * event in the client's format; the client going away just stops (the caller then closes the
 * upstream response, which aborts the upstream call). When the request's deadline cut the upstream
 * off, the error event says so.
 */
final class StreamRelay {
  private static final Logger LOG = Logger.getLogger(StreamRelay.class.getName());

  private final OutputStream client;
  private final ClientFormatFamily format;
  private final StreamObserver observer;
  private final BooleanSupplier deadlineExpired;

  /**
   * @param observer sees the upstream side (usage accounting)
   * @param deadlineExpired whether the upstream was cut off because the time allowed ran out
   */
  StreamRelay(
      OutputStream client,
      ClientFormatFamily format,
      StreamObserver observer,
      BooleanSupplier deadlineExpired) {
    this.client = client;
    this.format = format;
    this.observer = observer;
    this.deadlineExpired = deadlineExpired;
  }

  /**
   * Watches both sides of a relay (the upstream's for usage, the client's for the response's
   * observers) and may add SSE comments after a stream that ended normally.
   */
  interface StreamObserver {
    /** Bytes of a byte-copied stream, after they were sent to the client. */
    void upstreamBytes(byte[] bytes, int length);

    /**
     * One whole event of a stream relayed event by event as bytes ({@link #copyEvents}), before it
     * is sent.
     *
     * @return the event decoded when the observer had to decode it (it mentions usage, or someone
     *     wants the events), else null
     */
    SseEvent upstreamEvent(byte[] bytes, int offset, int length);

    /**
     * The events {@link #copyEvents} kept since the last call reached the client.
     *
     * @param decoded those of them that {@link #upstreamEvent} decoded, in order
     */
    void eventsSent(List<SseEvent> decoded);

    /** One upstream event of a translated stream, before it is translated. */
    void upstreamEvent(SseEvent event);

    /** One event of a translated stream as the client got it, after it was sent. */
    void clientEvent(SseEvent event);

    /** The upstream ended normally; returns the comments to send last (possibly none). */
    List<String> completed();
  }

  /**
   * A translator that can end the stream early (the output guardrails on Deny): once {@link
   * #stopped} says so, after its last events were sent, the relay completes the stream as if the
   * upstream had ended, and the caller's closing of the upstream response cancels the upstream.
   */
  interface Stopping {
    boolean stopped();
  }

  /** Same format: bytes are copied as they come, flushed per read. */
  void copyBytes(InputStream upstream) {
    // Events are small; each open stream holds this buffer, and the HTTP client allocates one of
    // the same size per read.
    byte[] buf = new byte[2048];
    while (true) {
      int n;
      try {
        n = upstream.read(buf);
      } catch (Exception e) {
        upstreamBroke(e);
        return;
      }
      if (n < 0) {
        complete();
        return;
      }
      if (!send(buf, n)) {
        return;
      }
      observer.upstreamBytes(buf, n);
    }
  }

  /**
   * Same format, with the usage chunk the gateway asked for (and the client did not) left out:
   * events pass as the bytes they came as, found in the bytes without decoding them ({@link
   * SseFramer}); only events that mention usage are decoded, to read it and to drop the usage-only
   * chunk. What one read brought goes out in one write and one flush. An event is sent when it is
   * whole (the upstream writes one per flush, so this holds nothing back in practice); one too
   * large to inspect (over {@link UsageSniffer#MAX_EVENT_BYTES}) passes in pieces as it comes.
   */
  void copyEvents(InputStream upstream) {
    byte[] buf = new byte[2048];
    SseFramer framer = new SseFramer(UsageSniffer.MAX_EVENT_BYTES);
    CopySink sink = new CopySink();
    while (true) {
      int n;
      try {
        n = upstream.read(buf);
      } catch (Exception e) {
        upstreamBroke(e);
        return;
      }
      try {
        if (n < 0) {
          framer.finish(sink);
        } else {
          framer.feed(buf, 0, n, sink);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e); // the sink reports client failures itself
      }
      if (sink.clientFailure != null) {
        clientGone(sink.clientFailure);
        return;
      }
      if (sink.wrote) {
        sink.wrote = false;
        try {
          client.flush();
        } catch (Exception e) {
          clientGone(e);
          return;
        }
        observer.eventsSent(sink.decoded);
        sink.decoded.clear();
      }
      if (n < 0) {
        complete();
        return;
      }
    }
  }

  /** Writes the events {@link #copyEvents} keeps; a failed write means the client left. */
  private final class CopySink implements SseFramer.Sink {
    private final List<SseEvent> decoded = new ArrayList<>();
    private boolean wrote;
    private Exception clientFailure;

    @Override
    public void event(byte[] bytes, int offset, int length, boolean complete) {
      if (clientFailure != null) {
        return;
      }
      SseEvent event = complete ? observer.upstreamEvent(bytes, offset, length) : null;
      if (event != null && format.isUsageOnlyEvent(event)) {
        return; // asked for by the gateway, not by the client
      }
      try {
        client.write(bytes, offset, length);
        wrote = true;
      } catch (Exception e) {
        clientFailure = e;
        return;
      }
      if (event != null) {
        decoded.add(event);
      }
    }
  }

  /** Different formats: each upstream event is translated and flushed on its own. */
  void translateEvents(InputStream upstream, StreamTranslator translator, boolean dropUsageChunks) {
    SseReader reader = new SseReader(upstream);
    while (true) {
      Optional<SseEvent> event;
      try {
        event = reader.next();
      } catch (Exception e) {
        upstreamBroke(e);
        return;
      }
      event.ifPresent(observer::upstreamEvent);
      List<SseEvent> out =
          event.isPresent() ? translator.onEvent(event.get()) : translator.finish();
      if (dropUsageChunks) {
        // Some upstreams always report usage; an OpenAI client that did not ask for it must not
        // see the extra chunk (strict clients reject a chunk without choices).
        out = out.stream().filter(e -> !format.isUsageOnlyEvent(e)).toList();
      }
      if (!out.isEmpty()) {
        if (!send(out)) {
          return;
        }
        out.forEach(observer::clientEvent);
      }
      if (event.isEmpty() || (translator instanceof Stopping s && s.stopped())) {
        complete();
        return;
      }
    }
  }

  /** Identity "translation", so a same-format stream can pass event by event (to drop a chunk). */
  static final StreamTranslator PASS_THROUGH =
      new StreamTranslator() {
        @Override
        public List<SseEvent> onEvent(SseEvent upstreamEvent) {
          return List.of(upstreamEvent);
        }

        @Override
        public List<SseEvent> finish() {
          return List.of();
        }
      };

  private void complete() {
    List<String> comments = observer.completed();
    if (!comments.isEmpty()) {
      try {
        for (String comment : comments) {
          client.write(SseWriter.comment(comment));
        }
        client.flush();
      } catch (Exception e) {
        clientGone(e);
        return;
      }
    }
    close();
  }

  private boolean send(List<SseEvent> events) {
    try {
      for (SseEvent e : events) {
        client.write(SseWriter.encode(e));
      }
      client.flush();
      return true;
    } catch (Exception e) {
      clientGone(e);
      return false;
    }
  }

  private boolean send(byte[] buf, int n) {
    try {
      client.write(buf, 0, n);
      client.flush();
      return true;
    } catch (Exception e) {
      clientGone(e);
      return false;
    }
  }

  private void upstreamBroke(Exception cause) {
    LOG.log(Level.FINE, "upstream stream broke", cause);
    ApiError error =
        deadlineExpired.getAsBoolean()
            ? ApiError.of(
                ErrorKind.GATEWAY_TIMEOUT,
                "deadline_exceeded",
                "The request's time limit ran out during the stream; the answer is incomplete.")
            : ApiError.of(
                ErrorKind.BAD_GATEWAY,
                "upstream_stream_interrupted",
                "The upstream connection broke during the stream; the answer is incomplete.");
    if (send(List.of(format.streamErrorEvent(error)))) {
      close();
    }
  }

  private void clientGone(Exception cause) {
    LOG.log(Level.FINE, "client went away during the stream", cause);
  }

  private void close() {
    try {
      client.close();
    } catch (Exception e) {
      clientGone(e);
    }
  }
}
