package dev.portcullis.gateway.telemetry;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Where the JSON access-log lines ({@link AccessLogLine}) go: stdout, a file, or nowhere. Lines are
 * written by the {@link RecordWriter}'s thread, never by a request's: into a 64 KiB buffer that
 * reaches the stream when it fills, when the writer's queue ran dry, or at the latest a quarter
 * second after its first line. A line the writer could not take (its queue was full) or a failing
 * stream could not keep is dropped and counted ({@link #droppedLines()}); a failing stream is
 * reported once.
 */
public final class AccessLog implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());
  private static final AccessLog OFF = new AccessLog(null, false);
  static final long FLUSH_INTERVAL_MILLIS = 250;

  private final OutputStream out;
  private final boolean closeStream;
  private final LongAdder dropped = new LongAdder();
  private final AccessLogLine line = new AccessLogLine();
  private volatile boolean failed;
  private long lastFlushNanos = System.nanoTime();
  private boolean unflushed;

  AccessLog(OutputStream out, boolean closeStream) {
    this.out = out == null ? null : new BufferedOutputStream(out, 64 * 1024);
    this.closeStream = closeStream;
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

  /** Lines dropped because the writer fell behind or the stream failed. */
  public long droppedLines() {
    return dropped.sum();
  }

  /** A line the writer's queue had no room for. */
  void dropped() {
    if (out != null) {
      dropped.increment();
    }
  }

  /** Writes the finished record's line into the buffer (the writer's thread only). */
  void write(RequestRecord record) {
    if (out == null) {
      return;
    }
    if (failed) {
      dropped.increment();
      return;
    }
    try {
      line.writeTo(record, out);
      unflushed = true;
    } catch (IOException e) {
      dropped.increment();
      fail(e);
    } catch (RuntimeException e) {
      dropped.increment();
      LOG.warning("access-log line of request " + record.requestId() + " not written: " + e);
    }
  }

  /**
   * After a batch (the writer's thread): to the stream once the queue ran dry, or at least every
   * quarter second under load.
   */
  void batchWritten(boolean queueDry) {
    if (unflushed
        && (queueDry || System.nanoTime() - lastFlushNanos >= FLUSH_INTERVAL_MILLIS * 1_000_000)) {
      flush();
    }
  }

  /** Pushes the buffered lines to the stream (the writer's thread only). */
  void flush() {
    lastFlushNanos = System.nanoTime();
    if (!unflushed || failed) {
      return;
    }
    unflushed = false;
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

  /** Closes a file the log opened (after the writer stopped); stdout stays open. */
  @Override
  public void close() {
    if (out == null || !closeStream) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      LOG.fine("closing the access log: " + e);
    }
  }
}
