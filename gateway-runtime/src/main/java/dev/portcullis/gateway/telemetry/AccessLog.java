package dev.portcullis.gateway.telemetry;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Writes one JSON line per request ({@link AccessLogLine}) to stdout or a file. The line is built
 * on the request's thread; the write goes to a 64 KiB buffer under a short lock and reaches the
 * stream when the buffer fills or, at the latest, a quarter second later (a daemon flusher), so a
 * request waits for the disk only when the buffer is full. A failing stream is reported once and
 * the log then drops lines rather than failing requests.
 */
public final class AccessLog implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());
  private static final AccessLog OFF = new AccessLog(null, false);
  static final long FLUSH_INTERVAL_MILLIS = 250;

  private final OutputStream out;
  private final boolean closeStream;
  private final ScheduledExecutorService flusher;
  private boolean failed;

  private AccessLog(OutputStream out, boolean closeStream) {
    this.out = out == null ? null : new BufferedOutputStream(out, 64 * 1024);
    this.closeStream = closeStream;
    if (out == null) {
      this.flusher = null;
    } else {
      this.flusher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "portcullis-access-log");
                t.setDaemon(true);
                return t;
              });
      flusher.scheduleWithFixedDelay(
          this::flush, FLUSH_INTERVAL_MILLIS, FLUSH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** No access log. */
  public static AccessLog off() {
    return OFF;
  }

  /** Lines to a stream the caller keeps open (stdout). */
  public static AccessLog to(OutputStream stream) {
    return new AccessLog(stream, false);
  }

  /** Lines appended to a file, created if missing. */
  public static AccessLog toFile(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new AccessLog(new FileOutputStream(file.toFile(), true), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the access log " + file + ": " + e, e);
    }
  }

  /**
   * The log {@code --access-log} describes: {@code stdout} (also the default when null or blank),
   * {@code off}, or a file path.
   */
  public static AccessLog of(String destination) {
    if (destination == null || destination.isBlank() || destination.equals("stdout")) {
      return to(System.out);
    }
    if (destination.equals("off")) {
      return off();
    }
    return toFile(Path.of(destination));
  }

  public boolean enabled() {
    return out != null;
  }

  void write(RequestRecord record) {
    if (out == null) {
      return;
    }
    byte[] line = (AccessLogLine.of(record) + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      if (failed) {
        return;
      }
      try {
        out.write(line);
      } catch (IOException e) {
        fail(e);
      }
    }
  }

  /** Pushes buffered lines to the stream. */
  public synchronized void flush() {
    if (out == null || failed) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      fail(e);
    }
  }

  private void fail(IOException e) {
    failed = true;
    LOG.warning("the access log cannot be written any more (" + e + "); lines are dropped");
  }

  @Override
  public void close() {
    if (out == null) {
      return;
    }
    flusher.shutdownNow();
    flush();
    if (closeStream) {
      synchronized (this) {
        try {
          out.close();
        } catch (IOException e) {
          LOG.fine("closing the access log: " + e);
        }
      }
    }
  }
}
