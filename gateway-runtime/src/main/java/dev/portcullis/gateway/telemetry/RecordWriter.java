package dev.portcullis.gateway.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that turns finished records into the per-request metrics and the access-log line,
 * so that a request's thread only offers its record to a bounded queue ({@link #offer} never
 * waits). Runs when either the metrics or the access log is on.
 *
 * <p>When the queue is full the request's thread records the metrics itself (no count is lost;
 * {@link #overflows()} counts how often) and the line is dropped and counted by the log. {@link
 * #awaitWritten} is a barrier: every record offered before it is in the metrics and in the log's
 * stream when it returns; a {@code /metrics} scrape calls it first, so a scrape sees every finished
 * request.
 */
final class RecordWriter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RecordWriter.class.getName());

  /** Records waiting for the writer: ~2 s of a busy gateway's traffic. */
  static final int QUEUE_CAPACITY = 16 * 1024;

  static final long BUSY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  static final long IDLE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private static final Object STOP = new Object();

  private final RequestMetrics metrics;
  private final AccessLog log;
  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private final LongAdder overflows = new LongAdder();

  /**
   * @param metrics null: no per-request metrics
   */
  RecordWriter(RequestMetrics metrics, AccessLog log, int queueCapacity) {
    this.metrics = metrics;
    this.log = log;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.thread = new Thread(this::run, "portcullis-telemetry");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Hands a finished record to the writer; never waits. The record must not change afterwards (a
   * finished record does not).
   */
  void offer(RequestRecord record) {
    if (queue.offer(record)) {
      return;
    }
    overflows.increment();
    log.dropped();
    recordMetrics(record);
  }

  /** Records whose metrics the request's thread recorded because the queue was full. */
  long overflows() {
    return overflows.sum();
  }

  /**
   * Waits (at most {@code timeoutMillis}) until every record offered before the call is in the
   * metrics and its line in the log's stream.
   */
  void awaitWritten(long timeoutMillis) {
    if (!thread.isAlive()) {
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    try {
      if (queue.offer(done, timeoutMillis, TimeUnit.MILLISECONDS)) {
        LockSupport.unpark(thread);
        done.await(timeoutMillis, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The writer parks between batches instead of waiting on the queue, so that a request's offer
   * never has a sleeping thread to wake (a futex call per request); a record waits at most {@link
   * #BUSY_PAUSE_NANOS} (or {@link #IDLE_PAUSE_NANOS} after a quiet spell) to be written, unless a
   * barrier wakes the writer at once.
   */
  private void run() {
    List<Object> batch = new ArrayList<>(1024);
    while (true) {
      queue.drainTo(batch, 1024);
      for (int i = 0; i < batch.size(); i++) {
        Object item = batch.get(i);
        if (item instanceof RequestRecord record) {
          recordMetrics(record);
          log.write(record);
        } else if (item instanceof CountDownLatch done) {
          log.flush();
          done.countDown();
        } else if (item == STOP) {
          log.flush();
          return;
        }
      }
      boolean idle = batch.isEmpty();
      batch.clear();
      log.batchWritten(idle);
      LockSupport.parkNanos(idle ? IDLE_PAUSE_NANOS : BUSY_PAUSE_NANOS);
      if (Thread.interrupted()) {
        log.flush();
        return;
      }
    }
  }

  private void recordMetrics(RequestRecord record) {
    if (metrics == null) {
      return;
    }
    try {
      metrics.record(record);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not record the metrics of request " + record.requestId(), e);
    }
  }

  /** Writes what is queued, stops the thread and closes the log. */
  @Override
  public void close() {
    try {
      if (thread.isAlive() && queue.offer(STOP, 5, TimeUnit.SECONDS)) {
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.close();
  }
}
