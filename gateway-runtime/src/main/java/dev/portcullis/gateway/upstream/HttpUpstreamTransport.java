package dev.portcullis.gateway.upstream;

import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.provider.UpstreamTimeouts;
import dev.portcullis.gateway.provider.UpstreamTransport;
import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpToken;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientProtocolConfig;
import io.helidon.webclient.http1.Http1ClientRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends upstream requests with Helidon's blocking HTTP/1.1 client (virtual-thread friendly), over
 * keep-alive connections from the gateway's own {@link UpstreamConnectionPool}. One client per
 * connect timeout, all sharing one pool.
 *
 * <p>Per-request costs avoided: the client is Helidon's HTTP/1.1 client itself rather than the
 * generic one that picks a protocol for every request (HTTP/1.1 is the only one on the class path);
 * when the JVM has no proxy settings the system proxy selector is not asked per request (it would
 * answer "no proxy" each time), and connections come from the gateway's pool, which does no work
 * while a connection is idle (Helidon's cache starts a monitor thread each time one goes idle);
 * header names are made once. With a proxy configured, Helidon's own cache is used.
 *
 * <p>Header values are checked here, by {@link #checkValue}, instead of by Helidon for every header
 * it writes: every name the gateway sends upstream is a constant of its own code, and the values
 * are the gateway's own, configured ones (credentials, from Secrets) or a caller's provider header
 * (already checked when the server parsed the request). A value with CR, LF or another control
 * character fails the attempt before anything is sent, without naming the value. TCP_NODELAY is
 * set: a request goes out as soon as it is written.
 */
public final class HttpUpstreamTransport implements UpstreamTransport {
  private static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);
  private static final Duration DEFAULT_READ = Duration.ofSeconds(600);
  private static final List<String> PROXY_PROPERTIES =
      List.of("http.proxyHost", "https.proxyHost", "socksProxyHost", "java.net.useSystemProxies");
  private static final int MAX_IDLE_PER_ENDPOINT = 1024;

  private final Map<Duration, Client> clients = new ConcurrentHashMap<>();
  private final boolean ownPool =
      !systemProxyConfigured() && !Boolean.getBoolean("portcullis.eval.helidonCache");

  /** Helidon's client for one connect timeout, with the pool its connections come from. */
  private record Client(Http1Client http, UpstreamConnectionPool pool) {}

  private Client client(Duration connect) {
    return clients.computeIfAbsent(
        connect,
        c -> {
          var builder =
              WebClient.builder()
                  .connectTimeout(c)
                  .readTimeout(DEFAULT_READ)
                  .socketOptions(
                      SocketOptions.builder()
                          .tcpNoDelay(!Boolean.getBoolean("portcullis.eval.noNodelay"))
                          .build())
                  .followRedirects(false)
                  .shareConnectionCache(true)
                  .sendExpectContinue(false)
                  .connectionCacheSize(MAX_IDLE_PER_ENDPOINT)
                  // Checked by checkValue, once; the upstream's answer is still validated.
                  .addProtocolConfig(
                      Http1ClientProtocolConfig.builder()
                          .validateRequestHeaders(
                              Boolean.getBoolean("portcullis.eval.clientValidate"))
                          .build());
          if (ownPool) {
            builder.proxy(Proxy.noProxy());
          }
          WebClient web = builder.build();
          return new Client(
              web.client(Http1Client.PROTOCOL),
              ownPool ? new UpstreamConnectionPool(web, MAX_IDLE_PER_ENDPOINT) : null);
        });
  }

  /** Whether the JVM's proxy selector could ever answer anything but "no proxy". */
  private static boolean systemProxyConfigured() {
    ProxySelector selector = ProxySelector.getDefault();
    return selector != null
        && (PROXY_PROPERTIES.stream().anyMatch(p -> System.getProperty(p) != null)
            || !selector.getClass().getName().equals("sun.net.spi.DefaultProxySelector"));
  }

  @Override
  public UpstreamResponse send(UpstreamRequest request, UpstreamTimeouts timeouts)
      throws IOException {
    Duration connect = timeouts.connect() != null ? timeouts.connect() : DEFAULT_CONNECT;
    Duration read = timeouts.firstByte() != null ? timeouts.firstByte() : DEFAULT_READ;
    Client client = client(connect);
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      checkValue(h.getKey(), h.getValue());
    }
    if (client.pool() == null) {
      return send(client, request, read, null);
    }
    UpstreamConnectionPool.Lease lease = acquire(client.pool(), request.uri());
    try {
      return send(client, request, read, lease);
    } catch (IOException e) {
      if (!lease.reused() || !closedUnanswered(e)) {
        throw e;
      }
      // A kept-alive connection the upstream closed as this request was written to it: the
      // upstream read none of it. Once more, on a new connection.
      return send(client, request, read, fresh(client.pool(), request.uri()));
    }
  }

  private static UpstreamConnectionPool.Lease acquire(UpstreamConnectionPool pool, URI uri)
      throws IOException {
    try {
      return pool.acquire(uri);
    } catch (UncheckedIOException e) {
      throw classify(e.getCause());
    } catch (RuntimeException e) {
      throw classify(e);
    }
  }

  /** A new connection (after a kept-alive one turned out closed), never a pooled one. */
  private static UpstreamConnectionPool.Lease fresh(UpstreamConnectionPool pool, URI uri)
      throws IOException {
    try {
      return pool.connect(uri);
    } catch (UncheckedIOException e) {
      throw classify(e.getCause());
    } catch (RuntimeException e) {
      throw classify(e);
    }
  }

  private HelidonResponse send(
      Client client, UpstreamRequest request, Duration read, UpstreamConnectionPool.Lease lease)
      throws IOException {
    Http1ClientRequest req =
        client.http().method(method(request.method())).uri(request.uri()).readTimeout(read);
    if (lease != null) {
      req.connection(lease.connection());
    }
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      req.header(headerName(h.getKey()), h.getValue());
    }
    HttpClientResponse res;
    try {
      res = request.body() == null ? req.request() : req.submit(request.body());
    } catch (UncheckedIOException e) {
      closeQuietly(lease);
      throw classify(e.getCause());
    } catch (RuntimeException e) {
      closeQuietly(lease);
      throw classify(e);
    }
    return new HelidonResponse(res);
  }

  private static void closeQuietly(UpstreamConnectionPool.Lease lease) {
    if (lease != null) {
      try {
        lease.connection().closeResource();
      } catch (RuntimeException ignored) {
        // closing a broken connection
      }
    }
  }

  /**
   * Whether a request on a kept-alive connection failed because the upstream had closed that
   * connection before the request reached it: writing the request failed (the connection was reset
   * or closed under it), so no upstream read a whole request. A failure while reading the answer is
   * never taken for that, even an end of stream where the status line should be: the upstream may
   * have read the request and acted on it (the router's retry policy decides about those).
   */
  static boolean closedUnanswered(IOException e) {
    if (e instanceof SocketTimeoutException) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().endsWith("BufferedDataWriter")
            || frame.getClassName().endsWith("Http1StatusParser")) {
          return frame.getClassName().endsWith("BufferedDataWriter");
        }
      }
    }
    return false;
  }

  private static Method method(String name) {
    return switch (name) {
      case "POST" -> Method.POST;
      case "GET" -> Method.GET;
      default -> Method.create(name);
    };
  }

  /** Header names are a small set of constants: made (and checked) once. */
  private static final Map<String, HeaderName> NAMES = new ConcurrentHashMap<>();

  private static final int MAX_NAMES = 256;

  private static HeaderName headerName(String name) {
    HeaderName known = NAMES.get(name);
    if (known != null) {
      return known;
    }
    HttpToken.validate(name);
    HeaderName created = HeaderNames.create(name);
    if (NAMES.size() < MAX_NAMES) {
      NAMES.put(name, created);
    }
    return created;
  }

  /**
   * Refuses a header value that would break the request's framing or smuggle a header: CR, LF, NUL
   * or any other control character but horizontal tab, or a character outside ISO-8859-1 (what
   * HTTP/1.1 field values may carry). The message names the header, never the value (it may be a
   * credential).
   */
  static void checkValue(String name, String value) throws IOException {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        throw new InvalidHeaderException(
            "The value of header '"
                + name
                + "' for the upstream has a character HTTP does not allow (at index "
                + i
                + "); the request was not sent.");
      }
    }
  }

  /** A header value the gateway refuses to send (it reached no upstream). */
  public static final class InvalidHeaderException extends IOException {
    InvalidHeaderException(String message) {
      super(message);
    }
  }

  /** Maps Helidon's unchecked failures onto the IOException types the pipeline tells apart. */
  private static IOException classify(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException) {
        return (IOException) t;
      }
      String name = t.getClass().getSimpleName();
      if (name.contains("Timeout")) {
        return new SocketTimeoutException(t.getMessage());
      }
    }
    // Helidon signals a peer that closed the connection without answering with a runtime
    // exception without a message; say what happened instead of naming the exception.
    String msg =
        e.getMessage() == null || e.getMessage().isBlank()
            ? "the connection was closed without a response"
            : e.getMessage();
    if (msg.toLowerCase(Locale.ROOT).contains("connection refused")
        || msg.toLowerCase(Locale.ROOT).contains("failed to connect")) {
      return new ConnectException(msg);
    }
    return e instanceof IOException io ? io : new IOException(msg, e);
  }

  private static final class HelidonResponse implements UpstreamResponse {
    private final HttpClientResponse res;
    private Map<String, String> headers;

    HelidonResponse(HttpClientResponse res) {
      this.res = res;
    }

    @Override
    public int status() {
      return res.status().code();
    }

    /** Looked up directly: most responses are asked for two headers, not all of them. */
    @Override
    public String header(String name) {
      if (headers != null) {
        return headers.get(name);
      }
      return res.headers().first(HeaderNames.create(name)).orElse(null);
    }

    @Override
    public synchronized Map<String, String> headers() {
      if (headers == null) {
        Map<String, String> h = new HashMap<>();
        for (Header header : res.headers()) {
          h.putIfAbsent(header.name().toLowerCase(Locale.ROOT), header.get());
        }
        headers = Map.copyOf(h);
      }
      return headers;
    }

    @Override
    public InputStream body() {
      return res.inputStream();
    }

    @Override
    public void close() {
      res.close();
    }
  }
}
