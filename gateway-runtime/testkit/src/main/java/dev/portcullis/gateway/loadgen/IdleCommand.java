package dev.portcullis.gateway.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Holds many idle keep-alive connections open against a server, to measure what each costs it:
 * {@code connections} plain sockets each send one {@code GET} (HTTP/1.1, keep-alive), read the
 * whole answer, and then stay open and silent for {@code --hold} seconds. Prints, on stderr, {@code
 * opened N} once all of them are answered (the moment to measure), and at the end one JSON line on
 * stdout with the counts.
 */
@Command(
    name = "idle",
    mixinStandardHelpOptions = true,
    description =
        "Opens N keep-alive connections, one GET each, then holds them idle (benchmarks of the"
            + " memory an idle connection costs).")
public final class IdleCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "http:// URL to GET on each connection.")
  URI url;

  @Option(names = "--key", defaultValue = "bench", description = "Bearer key.")
  String key;

  @Option(names = "--connections", defaultValue = "1000")
  int connections;

  @Option(names = "--hold", defaultValue = "20", description = "Seconds to hold them idle.")
  int holdSeconds;

  @Option(
      names = "--ramp",
      defaultValue = "2",
      description = "Seconds over which the connections open, evenly spaced.")
  double rampSeconds;

  @Override
  public Integer call() throws Exception {
    if (!"http".equals(url.getScheme())) {
      throw new IllegalArgumentException("only http:// URLs: " + url);
    }
    int port = url.getPort() < 0 ? 80 : url.getPort();
    String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    byte[] request =
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: "
                + url.getHost()
                + "\r\nAuthorization: Bearer "
                + key
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    List<Socket> open = new ArrayList<>();
    AtomicLong answered = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong closedByServer = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(connections);
    long rampNanos = (long) (rampSeconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      long delay = rampNanos * i / connections;
      Socket socket = new Socket();
      synchronized (open) {
        open.add(socket);
      }
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      Thread.sleep(Duration.ofNanos(delay));
                      socket.connect(new InetSocketAddress(url.getHost(), port), 10_000);
                      socket.setSoTimeout(30_000);
                      socket.getOutputStream().write(request);
                      if (readResponse(socket.getInputStream()) == 200) {
                        answered.incrementAndGet();
                      } else {
                        failed.incrementAndGet();
                      }
                    } catch (Exception e) {
                      failed.incrementAndGet();
                    } finally {
                      ready.countDown();
                    }
                  }));
    }
    ready.await();
    PrintStream err = System.err;
    err.printf(Locale.ROOT, "opened %d (answered %d)%n", connections, answered.get());
    err.flush();
    Thread.sleep(Duration.ofSeconds(holdSeconds));
    // Still open? A read with a short timeout on each: a timeout means open and silent.
    for (Socket s : open) {
      try {
        s.setSoTimeout(1);
        if (s.getInputStream().read() < 0) {
          closedByServer.incrementAndGet();
        }
      } catch (java.net.SocketTimeoutException stillOpen) {
        // idle, as meant
      } catch (IOException e) {
        closedByServer.incrementAndGet();
      }
    }
    for (Socket s : open) {
      s.close();
    }
    System.out.printf(
        Locale.ROOT,
        "{\"connections\":%d,\"answered\":%d,\"failed\":%d,\"closed_by_server\":%d}%n",
        connections,
        answered.get(),
        failed.get(),
        closedByServer.get());
    return failed.get() == 0 ? 0 : 1;
  }

  /** Reads one answer with a Content-Length or chunked body; returns its status. */
  static int readResponse(InputStream in) throws IOException {
    String status = line(in);
    if (status == null) {
      throw new IOException("closed before an answer");
    }
    int code = Integer.parseInt(status.split(" ")[1]);
    long length = -1;
    boolean chunked = false;
    String header;
    while (!(header = line(in)).isEmpty()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).strip());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      while (true) {
        long size = Long.parseLong(line(in).split(";")[0].strip(), 16);
        if (size == 0) {
          while (!line(in).isEmpty()) {}
          break;
        }
        in.skipNBytes(size);
        line(in);
      }
    } else if (length > 0) {
      in.skipNBytes(length);
    }
    return code;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      buf.write(b);
    }
    return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
  }
}
