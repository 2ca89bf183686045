package dev.portcullis.gateway.http;

import dev.portcullis.gateway.endpoint.Endpoints;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.WireFormat;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The request's headers must be complete within a deadline counted from its request line; otherwise
 * the client is answered 408 in its format (from the path the request line named) and the
 * connection is closed. The web server has no deadline between the request line and the end of the
 * headers: its idle timeout stops counting once a request line is in, so without this a client that
 * sends a request line and then stalls (or trickles a header byte now and then) would hold its
 * connection, and its virtual thread, forever — a slowloris.
 *
 * <p>A receive listener of the HTTP/1.1 protocol: the request line arms a timer task, the complete
 * headers cancel it, both on the connection's own thread. When the deadline passes first, the timer
 * thread writes the 408 (the connection's thread is blocked reading, not writing) and interrupts
 * the connection's thread, which for the server's socket channels closes the socket the read is
 * blocked on. Cost per request: one timer task scheduled and cancelled, no thread.
 */
public final class HeaderDeadline implements Http1ConnectionListener {
  private static final Logger LOG = Logger.getLogger(HeaderDeadline.class.getName());
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("portcullis-header-deadline").factory());

  private final Duration timeout;
  private final ThreadLocal<Pending> pending = new ThreadLocal<>();

  /**
   * @param timeout longest time from a request line to the end of its headers
   */
  public HeaderDeadline(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the header timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
  }

  /** The time a request's headers have after its request line. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
    Pending previous = pending.get();
    if (previous != null) {
      previous.settle(); // headers of an earlier request that failed to parse
    }
    pending.set(new Pending(ctx, prologue.uriPath().path(), Thread.currentThread()));
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    Pending current = pending.get();
    if (current == null) {
      return;
    }
    pending.remove();
    if (!current.settle()) {
      // The deadline won the race with the last header line: the 408 is on its way.
      Thread.interrupted();
      throw new CloseConnectionException("the request headers came after the header timeout");
    }
  }

  /** One request's deadline: settled by its headers or fired by the timer, whichever is first. */
  private final class Pending {
    private final AtomicBoolean decided = new AtomicBoolean();
    private final ConnectionContext ctx;
    private final String path;
    private final Thread reader;
    private final ScheduledFuture<?> task;

    Pending(ConnectionContext ctx, String path, Thread reader) {
      this.ctx = ctx;
      this.path = path;
      this.reader = reader;
      this.task = TIMER.schedule(this::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * @return true when the headers came in time (the deadline is cancelled)
     */
    boolean settle() {
      if (decided.compareAndSet(false, true)) {
        task.cancel(false);
        return true;
      }
      return false;
    }

    private void fire() {
      if (!decided.compareAndSet(false, true)) {
        return;
      }
      try {
        ctx.dataWriter().writeNow(BufferData.create(answer(path, timeout)));
      } catch (RuntimeException e) {
        // The client went away meanwhile; closing is all that is left.
        LOG.log(Level.FINE, "could not send the header timeout's 408", e);
      } finally {
        reader.interrupt();
      }
    }
  }

  /** The 408 in the format the request line's path names, closing the connection. */
  static byte[] answer(String path, Duration timeout) {
    WireFormat format =
        TrafficService.guessFormat(path, ServerRequestHeaders.create(WritableHeaders.create()));
    ApiError error =
        ApiError.of(
            ErrorKind.REQUEST_TIMEOUT,
            "request_timeout",
            "The request headers did not arrive within "
                + timeout.toMillis()
                + " ms of the request line.");
    byte[] body;
    try {
      body = Jackson.MAPPER.writeValueAsBytes(Endpoints.clientFamily(format).errorBody(error));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String head =
        "HTTP/1.1 408 Request Timeout\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n"
            + "x-request-id: "
            + TrafficService.newRequestId()
            + "\r\n"
            + "Connection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }
}
