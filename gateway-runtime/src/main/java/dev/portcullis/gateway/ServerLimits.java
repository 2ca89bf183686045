package dev.portcullis.gateway;

import java.time.Duration;

/**
 * How much of the machine clients may hold: the traffic listener's bounds, so that overload and
 * slow or idle clients are shed instead of exhausting memory.
 *
 * @param maxConcurrentRequests requests handled at once (streams included); beyond it new requests
 *     get 503 in the caller's format with {@code retry-after}, while those in flight continue
 * @param maxHeaderBytes the request headers' size limit (431 beyond; the web server itself refuses
 *     headers beyond four times this with a 400)
 * @param readTimeout longest silence while a request (line, headers or body) is being read, and the
 *     longest a whole body may take to arrive; the connection is closed after it
 * @param idleTimeout how long a connection may sit without a request (or part way through a request
 *     line) before it is closed
 * @param headerTimeout longest time from a request line to the end of its headers; beyond it the
 *     client gets 408 in its format and the connection is closed (a slowloris holds nothing longer)
 */
public record ServerLimits(
    int maxConcurrentRequests,
    int maxHeaderBytes,
    Duration readTimeout,
    Duration idleTimeout,
    Duration headerTimeout) {

  /** The heap a single request is budgeted for when deriving the default concurrency bound. */
  static final long HEAP_PER_REQUEST = 256 * 1024;

  public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

  public ServerLimits {
    if (maxConcurrentRequests <= 0) {
      maxConcurrentRequests = concurrencyForHeap(Runtime.getRuntime().maxMemory());
    }
    if (maxHeaderBytes <= 0) {
      maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    }
    readTimeout = readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout;
    idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
    headerTimeout = headerTimeout == null ? DEFAULT_HEADER_TIMEOUT : headerTimeout;
    if (headerTimeout.isNegative() || headerTimeout.isZero()) {
      throw new IllegalArgumentException("the header timeout must be positive: " + headerTimeout);
    }
  }

  /** The default header timeout. */
  public ServerLimits(
      int maxConcurrentRequests, int maxHeaderBytes, Duration readTimeout, Duration idleTimeout) {
    this(maxConcurrentRequests, maxHeaderBytes, readTimeout, idleTimeout, null);
  }

  /** The defaults; the concurrency bound derived from the maximum heap. */
  public static final ServerLimits DEFAULTS = new ServerLimits(0, 0, null, null, null);

  /**
   * One request per {@value #HEAP_PER_REQUEST} bytes of maximum heap, at least 16: a 320 MiB heap
   * serves 1,280 at once. A request holds its body, the upstream connection's buffers and, for a
   * stream, a translator; most need far less, so the bound leaves room for large bodies.
   */
  static int concurrencyForHeap(long maxHeapBytes) {
    return (int) Math.max(16, Math.min(100_000, maxHeapBytes / HEAP_PER_REQUEST));
  }

  public ServerLimits withMaxConcurrentRequests(int bound) {
    return new ServerLimits(bound, maxHeaderBytes, readTimeout, idleTimeout, headerTimeout);
  }

  public ServerLimits withMaxHeaderBytes(int bytes) {
    return new ServerLimits(maxConcurrentRequests, bytes, readTimeout, idleTimeout, headerTimeout);
  }

  public ServerLimits withReadTimeout(Duration timeout) {
    return new ServerLimits(
        maxConcurrentRequests, maxHeaderBytes, timeout, idleTimeout, headerTimeout);
  }

  public ServerLimits withIdleTimeout(Duration timeout) {
    return new ServerLimits(
        maxConcurrentRequests, maxHeaderBytes, readTimeout, timeout, headerTimeout);
  }

  public ServerLimits withHeaderTimeout(Duration timeout) {
    return new ServerLimits(
        maxConcurrentRequests, maxHeaderBytes, readTimeout, idleTimeout, timeout);
  }
}
