package dev.portcullis.gateway.telemetry;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Writes one JSON line per request ({@link AccessLogLine}) to stdout or a file, off the request's
 * thread. A finished request's record is handed to a bounded queue ({@link #write} never waits:
 * when the queue is full the line is dropped and counted, {@link #droppedLines()}); one writer
 * thread turns records into lines into a 64 KiB buffer, which reaches the stream when it fills or,
 * at the latest, a quarter second after its first line. A failing stream is reported once and the
 * log then drops (and counts) lines rather than failing requests.
 */
public final class AccessLog implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());
  private static final AccessLog OFF = new AccessLog(null, false, 0);
  static final long FLUSH_INTERVAL_MILLIS = 250;

  /** Lines waiting for the writer: ~2 s of a busy gateway's traffic; each holds its record. */
  static final int QUEUE_CAPACITY = 16 * 1024;

  static final long BUSY_PAUSE_MILLIS = 2;
  static final long IDLE_PAUSE_MILLIS = 20;

  private static final Object STOP = new Object();

  private final OutputStream out;
  private final boolean closeStream;
  private final BlockingQueue<Object> queue;
  private final Thread writer;
  private final LongAdder dropped = new LongAdder();
  private final AccessLogLine line = new AccessLogLine();
  private volatile boolean failed;
  private long lastFlushNanos;
  private boolean unflushed;

  AccessLog(OutputStream out, boolean closeStream, int queueCapacity) {
    this.out = out == null ? null : new BufferedOutputStream(out, 64 * 1024);
    this.closeStream = closeStream;
    if (out == null) {
      this.queue = null;
      this.writer = null;
    } else {
      this.queue = new ArrayBlockingQueue<>(queueCapacity);
      this.writer = new Thread(this::run, "portcullis-access-log");
      writer.setDaemon(true);
      writer.start();
    }
  }

  /** No access log. */
  public static AccessLog off() {
    return OFF;
  }

  /** Lines to a stream the caller keeps open (stdout). */
  public static AccessLog to(OutputStream stream) {
    return new AccessLog(stream, false, QUEUE_CAPACITY);
  }

  /** Lines appended to a file, created if missing. */
  public static AccessLog toFile(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new AccessLog(new FileOutputStream(file.toFile(), true), true, QUEUE_CAPACITY);
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

  /**
   * Queues the finished record's line; never waits. The record must not change afterwards (a
   * finished record does not).
   */
  void write(RequestRecord record) {
    if (out == null) {
      return;
    }
    if (failed || !queue.offer(record)) {
      dropped.increment();
    }
  }

  /**
   * Waits (at most five seconds) until every line queued before the call reached the stream (tests;
   * shutdown does it too).
   */
  public void flush() {
    if (out == null || !writer.isAlive()) {
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    try {
      if (queue.offer(done, 5, TimeUnit.SECONDS)) {
        done.await(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The writer sleeps between batches instead of waiting on the queue, so that a request's offer
   * never has a sleeping thread to wake (a futex call per request); a line waits at most {@link
   * #BUSY_PAUSE_MILLIS} (or {@link #IDLE_PAUSE_MILLIS} after a quiet spell) to be written.
   */
  private void run() {
    List<Object> batch = new ArrayList<>(1024);
    lastFlushNanos = System.nanoTime();
    boolean idle = false;
    while (true) {
      queue.drainTo(batch, 1024);
      for (int i = 0; i < batch.size(); i++) {
        Object item = batch.get(i);
        if (item instanceof RequestRecord record) {
          writeLine(record);
        } else if (item instanceof CountDownLatch done) {
          flushStream();
          done.countDown();
        } else if (item == STOP) {
          flushStream();
          return;
        }
      }
      idle = batch.isEmpty();
      batch.clear();
      // To the stream once the queue ran dry, or at least every quarter second under load.
      if (unflushed
          && (idle || System.nanoTime() - lastFlushNanos >= FLUSH_INTERVAL_MILLIS * 1_000_000)) {
        flushStream();
      }
      try {
        Thread.sleep(idle ? IDLE_PAUSE_MILLIS : BUSY_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        flushStream();
        return;
      }
    }
  }

  private void writeLine(RequestRecord record) {
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

  private void flushStream() {
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

  @Override
  public void close() {
    if (out == null) {
      return;
    }
    try {
      if (writer.isAlive() && queue.offer(STOP, 5, TimeUnit.SECONDS)) {
        writer.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closeStream) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.fine("closing the access log: " + e);
      }
    }
  }
}
