package dev.portcullis.gateway.cache;

import java.util.Locale;

/**
 * What the caller allows the cache to do with this request, from its {@code x-portcullis-cache} and
 * {@code Cache-Control} headers (API.md "Caching").
 *
 * <ul>
 *   <li>{@code x-portcullis-cache: bypass}: neither read nor write; answers {@code BYPASS}.
 *   <li>{@code x-portcullis-cache: refresh} or {@code Cache-Control: no-cache}: skip the read,
 *       store the new answer; answers {@code REFRESH}.
 *   <li>{@code Cache-Control: no-store}: read, but do not store; a miss answers {@code MISS}.
 * </ul>
 *
 * <p>Directives combine: {@code no-cache, no-store} reads nothing and stores nothing (answers
 * {@code REFRESH}). Other {@code Cache-Control} directives ({@code max-age} and so on) are ignored.
 *
 * @param read whether a stored answer may answer this request
 * @param write whether this request's answer may be stored
 * @param statusWithoutRead the header value when {@code read} is false; null when it is true (then
 *     the lookup decides: HIT, SEMANTIC_HIT or MISS)
 */
public record CacheDirective(boolean read, boolean write, CacheStatus statusWithoutRead) {
  /** No header: read and write. */
  public static final CacheDirective DEFAULT = new CacheDirective(true, true, null);

  /**
   * Parses the two request headers; either may be null (absent).
   *
   * @throws IllegalArgumentException when {@code x-portcullis-cache} is neither {@code bypass} nor
   *     {@code refresh}; its message is fit for a 400 answer
   */
  public static CacheDirective parse(String portcullisCache, String cacheControl) {
    boolean read = true;
    boolean write = true;
    CacheStatus status = null;
    if (portcullisCache != null && !portcullisCache.isBlank()) {
      switch (portcullisCache.strip().toLowerCase(Locale.ROOT)) {
        case "bypass" -> {
          return new CacheDirective(false, false, CacheStatus.BYPASS);
        }
        case "refresh" -> {
          read = false;
          status = CacheStatus.REFRESH;
        }
        default ->
            throw new IllegalArgumentException(
                "x-portcullis-cache must be \"bypass\" or \"refresh\"");
      }
    }
    if (cacheControl != null) {
      for (String part : cacheControl.split(",")) {
        String directive = part.strip().toLowerCase(Locale.ROOT);
        int equals = directive.indexOf('=');
        if (equals >= 0) {
          directive = directive.substring(0, equals).strip();
        }
        switch (directive) {
          case "no-cache" -> {
            read = false;
            status = CacheStatus.REFRESH;
          }
          case "no-store" -> write = false;
          default -> {}
        }
      }
    }
    return new CacheDirective(read, write, status);
  }
}
