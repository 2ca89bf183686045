package dev.portcullis.gateway.upstream;

import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keep-alive connections to the upstreams, handed to Helidon's client per request ({@code
 * request.connection(...)}) instead of its own connection cache.
 *
 * <p>Why: Helidon's cache starts a virtual thread each time a connection goes back to it (helidon
 * issue 11799) that blocks in a read with a 101 ms timeout, in a loop, to notice a peer that closed
 * the idle connection; the next request then takes the first response byte from that thread. This
 * pool does no work while a connection is idle. Instead:
 *
 * <ul>
 *   <li>a connection idle for {@link #PROBE_AFTER} (Helidon's monitor looks every 101 ms) or longer
 *       is probed when taken: a read with a 1 ms timeout must time out (nothing to read); end of
 *       stream, data or an error mean the peer closed it (or broke the protocol), and it is closed
 *       and the next one taken. Connections in use under load are not probed; a request after a
 *       pause waits that millisecond;
 *   <li>connections idle for {@link #MAX_IDLE} are closed (swept at most once a second, when a
 *       connection is taken or given back), so that a quiet pool does not hold closed sockets;
 *   <li>a request written to a connection the upstream closed less than that ago (or just then) is
 *       sent once more on a new connection by {@link HttpUpstreamTransport} if writing it failed;
 *       if it was written and the answer never came, the failure is the router's to handle, as with
 *       Helidon's cache (the upstream may have read the request);
 * </ul>
 *
 * <p>Taken last-in first-out, so that under light load the same few connections stay warm and the
 * others age out. Connections go back only after their answer was read to its end (Helidon's
 * response {@code close()} releases them; an answer not read through closes its connection).
 */
final class UpstreamConnectionPool {
  /** Idle this long, a connection is probed before use. */
  static final Duration PROBE_AFTER = Duration.ofMillis(100);

  /** Idle this long, a connection is closed. */
  static final Duration MAX_IDLE = Duration.ofSeconds(60);

  private static final List<String> ALPN = List.of("http/1.1");
  private static final Tls NO_TLS = Tls.builder().enabled(false).build();
  private static final long SWEEP_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

  private final WebClient client;
  private final WebClientConfig config;
  private final int maxIdlePerEndpoint;
  private final long probeAfterNanos;
  private final long maxIdleNanos;
  private final Map<Endpoint, Idle> idle = new ConcurrentHashMap<>();

  /**
   * The same, by URI: upstream URIs are a handful of parsed, remembered instances ({@link
   * dev.portcullis.gateway.provider.UpstreamRequest#parseUri}) whose hash is kept, so this lookup
   * costs less than making the endpoint.
   */
  private final Map<URI, Idle> byUri = new ConcurrentHashMap<>();

  private static final int MAX_URIS = 4096;
  private final AtomicLong nextSweep = new AtomicLong(System.nanoTime() + SWEEP_EVERY_NANOS);

  UpstreamConnectionPool(WebClient client, int maxIdlePerEndpoint) {
    this(client, maxIdlePerEndpoint, PROBE_AFTER, MAX_IDLE);
  }

  UpstreamConnectionPool(
      WebClient client, int maxIdlePerEndpoint, Duration probeAfter, Duration maxIdle) {
    this.client = client;
    this.config = client.prototype();
    this.maxIdlePerEndpoint = maxIdlePerEndpoint;
    this.probeAfterNanos = probeAfter.toNanos();
    this.maxIdleNanos = maxIdle.toNanos();
  }

  /** A connection and whether it served a request before. */
  record Lease(TcpClientConnection connection, boolean reused) {}

  /** Where connections go: one idle list per scheme, host and port. */
  private record Endpoint(String scheme, String host, int port) {
    static Endpoint of(URI uri) {
      String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      return new Endpoint(scheme, uri.getHost(), port);
    }
  }

  /** The idle connections of one endpoint, most recently used first. */
  private final class Idle {
    final ConnectionKey key;
    final ConcurrentLinkedDeque<Pooled> deque = new ConcurrentLinkedDeque<>();
    final AtomicInteger size = new AtomicInteger();

    Idle(Endpoint endpoint) {
      Tls tls = endpoint.scheme().equals("https") ? config.tls() : NO_TLS;
      this.key =
          ConnectionKey.create(
              endpoint.scheme(),
              endpoint.host(),
              endpoint.port(),
              tls,
              config.dnsResolver(),
              config.dnsAddressLookup(),
              Proxy.noProxy());
    }

    Pooled poll() {
      Pooled p = deque.pollFirst();
      if (p != null) {
        size.decrementAndGet();
      }
      return p;
    }

    boolean offer(Pooled p) {
      if (size.incrementAndGet() > maxIdlePerEndpoint) {
        size.decrementAndGet();
        return false;
      }
      deque.offerFirst(p);
      return true;
    }
  }

  /** One connection of the pool with the time it went idle. */
  private final class Pooled {
    final Idle home;
    TcpClientConnection connection;
    volatile long idleSince;

    Pooled(Idle home) {
      this.home = home;
    }
  }

  /** A connection to the URI's endpoint: an idle one that is still open, or a new one. */
  Lease acquire(URI uri) {
    Idle home = home(uri);
    long now = System.nanoTime();
    sweepIfDue(now);
    Pooled p;
    while ((p = home.poll()) != null) {
      long idleFor = now - p.idleSince;
      if (idleFor < probeAfterNanos || (idleFor < maxIdleNanos && stillOpen(p.connection))) {
        return new Lease(p.connection, true);
      }
      p.connection.closeResource();
    }
    return connect(home);
  }

  /** A new connection to the URI's endpoint, never an idle one. */
  Lease connect(URI uri) {
    return connect(home(uri));
  }

  private Idle home(URI uri) {
    Idle home = byUri.get(uri);
    if (home == null) {
      home = idle.computeIfAbsent(Endpoint.of(uri), Idle::new);
      if (byUri.size() < MAX_URIS) {
        byUri.put(uri, home);
      }
    }
    return home;
  }

  private Lease connect(Idle home) {
    Pooled fresh = new Pooled(home);
    fresh.connection =
        TcpClientConnection.create(client, home.key, ALPN, c -> release(fresh), c -> {});
    fresh.connection.connect();
    return new Lease(fresh.connection, false);
  }

  /** Called by Helidon when an answer was read to its end; false closes the connection. */
  private boolean release(Pooled p) {
    if (!p.connection.isConnected()) {
      return false;
    }
    long now = System.nanoTime();
    p.idleSince = now;
    boolean kept = p.home.offer(p);
    sweepIfDue(now);
    return kept;
  }

  /**
   * Whether an idle connection can take a request: a short read must find nothing to read. End of
   * stream or an error means the peer closed it; bytes nobody asked for mean it cannot be trusted.
   */
  private static boolean stillOpen(TcpClientConnection connection) {
    try {
      connection.readTimeout(Duration.ofMillis(1));
      connection.helidonSocket().get();
      return false;
    } catch (UncheckedIOException e) {
      return e.getCause() instanceof SocketTimeoutException;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Closes connections idle for longer than {@link #MAX_IDLE}, at most once a second. */
  private void sweepIfDue(long now) {
    long due = nextSweep.get();
    if (now - due < 0 || !nextSweep.compareAndSet(due, now + SWEEP_EVERY_NANOS)) {
      return;
    }
    for (Idle home : idle.values()) {
      for (Iterator<Pooled> it = home.deque.descendingIterator(); it.hasNext(); ) {
        Pooled p = it.next();
        if (now - p.idleSince < maxIdleNanos) {
          break; // the rest went idle later
        }
        if (home.deque.removeFirstOccurrence(p)) {
          home.size.decrementAndGet();
          p.connection.closeResource();
        }
      }
    }
  }

  /** Closes every idle connection. */
  void close() {
    for (Idle home : idle.values()) {
      Pooled p;
      while ((p = home.poll()) != null) {
        p.connection.closeResource();
      }
    }
  }
}
