package dev.portcullis.gateway.http;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a connection whose request does not arrive in time: the headers after the request line,
 * and (through {@link #arm}) a body, must each arrive within the read timeout. The web server has
 * no such deadline of its own once the request line is in, so a client that stalls there would hold
 * its connection forever.
 *
 * <p>It works by interrupting the connection's thread, which for the server's virtual threads
 * closes the socket a read is blocked on. Cost per request: one timer task scheduled and cancelled
 * for the headers (and one for a body), no thread.
 */
public final class ReadWatchdog implements Http1ConnectionListener {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("portcullis-read-watchdog").factory());

  private final Duration timeout;
  private final ThreadLocal<Armed> headersDeadline = new ThreadLocal<>();

  public ReadWatchdog(Duration timeout) {
    this.timeout = timeout;
  }

  /** A deadline for the current thread's read; {@link #close} it once the read is done. */
  public final class Armed implements AutoCloseable {
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicBoolean fired = new AtomicBoolean();
    private final ScheduledFuture<?> task;

    private Armed(Thread reader) {
      this.task =
          TIMER.schedule(
              () -> {
                if (!done.get()) {
                  fired.set(true);
                  reader.interrupt();
                }
              },
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
    }

    /** Whether the deadline passed and the read was cut. */
    public boolean fired() {
      return fired.get();
    }

    @Override
    public void close() {
      done.set(true);
      task.cancel(false);
      if (fired.get()) {
        Thread.interrupted(); // the connection is closing; do not leave the flag to the next task
      }
    }
  }

  /** Starts the deadline for a read on the current thread. */
  public Armed arm() {
    return new Armed(Thread.currentThread());
  }

  @Override
  public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
    headersDeadline.set(arm());
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    Armed armed = headersDeadline.get();
    if (armed != null) {
      headersDeadline.remove();
      armed.close();
    }
  }
}
