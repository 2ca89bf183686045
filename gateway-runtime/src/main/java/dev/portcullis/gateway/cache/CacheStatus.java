package dev.portcullis.gateway.cache;

/** The value of the {@code x-portcullis-cache} response header. */
public enum CacheStatus {
  /** Answered from an entry of this exact request. */
  HIT,
  /** Answered from an entry of a request with the same context and a similar last message. */
  SEMANTIC_HIT,
  /** Not found; the upstream answered (and the answer is stored unless {@code no-store}). */
  MISS,
  /** The caller asked for {@code bypass}: neither read nor written. */
  BYPASS,
  /** The caller asked for {@code refresh} or {@code Cache-Control: no-cache}: not read, stored. */
  REFRESH;

  /** The header's value. */
  public String headerValue() {
    return name();
  }
}
