package dev.portcullis.gateway.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Redis for tests: the shared server on 127.0.0.1:6379 (keys under a prefix per test run, deleted
 * afterwards), and private {@code redis-server} processes a test may stop and restart.
 */
public final class LocalRedis {
  public static final String SHARED_URL = "redis://127.0.0.1:6379";

  private LocalRedis() {}

  public static String uniquePrefix() {
    return "portcullis-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  public static void assumeShared() {
    assumeTrue(reachable(SHARED_URL), "no Redis on 127.0.0.1:6379");
  }

  public static boolean reachable(String url) {
    try (Jedis jedis = new Jedis(URI.create(url), 500)) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  public static List<String> keys(String url, String prefix) {
    List<String> out = new ArrayList<>();
    try (Jedis jedis = new Jedis(URI.create(url), 2000)) {
      String cursor = ScanParams.SCAN_POINTER_START;
      ScanParams params = new ScanParams().match(prefix + "*").count(1000);
      do {
        ScanResult<String> page = jedis.scan(cursor, params);
        out.addAll(page.getResult());
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
    return out;
  }

  public static List<Long> ttls(String url, List<String> keys) {
    try (Jedis jedis = new Jedis(URI.create(url), 2000)) {
      return keys.stream().map(jedis::pttl).toList();
    }
  }

  public static void deleteKeys(String url, String prefix) {
    if (!reachable(url)) {
      return;
    }
    List<String> keys = keys(url, prefix);
    if (!keys.isEmpty()) {
      try (Jedis jedis = new Jedis(URI.create(url), 2000)) {
        jedis.del(keys.toArray(String[]::new));
      }
    }
  }

  /** A private {@code redis-server} without persistence, on a free port. */
  public static final class Process implements AutoCloseable {
    private final int port;
    private java.lang.Process process;

    private Process(int port) {
      this.port = port;
    }

    /** Starts one, or skips the test when {@code redis-server} is not installed. */
    public static Process start() throws IOException, InterruptedException {
      assumeTrue(onPath("redis-server"), "redis-server is not installed");
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Process p = new Process(port);
      p.startAgain();
      return p;
    }

    public String url() {
      return "redis://127.0.0.1:" + port;
    }

    public void stop() throws InterruptedException {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
        process = null;
      }
    }

    /**
     * Freezes the server (SIGSTOP): connections stay open but nothing is answered, so every call
     * waits for its timeout, as with a hung or partitioned Redis.
     */
    public void pause() throws IOException, InterruptedException {
      signal("-STOP");
    }

    /** Lets a {@link #pause paused} server carry on (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
      signal("-CONT");
    }

    private void signal(String which) throws IOException, InterruptedException {
      int exit =
          new ProcessBuilder("kill", which, Long.toString(process.pid()))
              .inheritIO()
              .start()
              .waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill " + which + " failed with " + exit);
      }
    }

    public void startAgain() throws IOException, InterruptedException {
      process =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!reachable(url())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("redis-server did not start on port " + port);
        }
        Thread.sleep(20);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }

    private static boolean onPath(String program) {
      String path = System.getenv("PATH");
      if (path == null) {
        return false;
      }
      for (String dir : path.split(File.pathSeparator)) {
        if (new File(dir, program).canExecute()) {
          return true;
        }
      }
      return false;
    }
  }
}
