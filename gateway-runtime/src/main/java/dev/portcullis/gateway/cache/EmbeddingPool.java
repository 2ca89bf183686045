package dev.portcullis.gateway.cache;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a model's embeddings on a few platform threads of their own, with a bounded queue. A request
 * runs on a virtual thread; an embedding is 10–20 ms of CPU inside native code, which would hold
 * the virtual thread's carrier the whole time — with as many carriers as cores, a burst of semantic
 * lookups would stall every other request of the gateway. Here the virtual thread waits (unmounted)
 * while a pool thread embeds. When the queue is full the embedding is refused at once ({@link
 * Overloaded}): the cache then looks the request up exactly only, and the request goes on.
 *
 * <p>Threads start on the first embedding and stop after a minute idle, so a gateway without
 * semantic routes never has one.
 */
public final class EmbeddingPool implements SentenceEmbedder, AutoCloseable {
  /** The queue was full: the embedding was not attempted. */
  public static final class Overloaded extends RuntimeException {
    Overloaded(int queued) {
      super("the embedding queue is full (" + queued + " waiting)");
    }
  }

  private final SentenceEmbedder model;
  private final ThreadPoolExecutor pool;

  /**
   * @param threads embeddings run at once
   * @param queue embeddings waiting at most; beyond that they are refused
   */
  public EmbeddingPool(SentenceEmbedder model, int threads, int queue) {
    this.model = model;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            1,
            TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, "semantic-embedding-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  /** One thread per two cores (at least one), and 16 waiting per thread. */
  public static EmbeddingPool sizedForThisMachine(SentenceEmbedder model) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    return new EmbeddingPool(model, threads, 16 * threads);
  }

  /**
   * @throws Overloaded when the queue is full
   */
  @Override
  public float[] embed(String text) {
    Future<float[]> result;
    try {
      result = pool.submit(() -> model.embed(text));
    } catch (RejectedExecutionException e) {
      throw new Overloaded(pool.getQueue().size());
    }
    try {
      return result.get();
    } catch (InterruptedException e) {
      result.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while embedding", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("embedding failed", e.getCause());
    }
  }

  /** Embeddings waiting for a thread now. */
  int waiting() {
    return pool.getQueue().size();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
