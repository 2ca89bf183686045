package dev.portcullis.gateway.http;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a connection whose request body does not arrive in time: through {@link #arm}, a body must
 * arrive within the read timeout. (The headers have their own deadline, {@link HeaderDeadline}.)
 *
 * <p>It works by interrupting the connection's thread, which for the server's virtual threads
 * closes the socket a read is blocked on. Cost per request: one timer task scheduled and cancelled
 * for the headers (and one for a body), no thread.
 */
public final class ReadWatchdog {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("portcullis-read-watchdog").factory());

  private final Duration timeout;

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
}
