package dev.portcullis.gateway.provider;

/**
 * A base64 {@code data:} URL split into media type and payload: how OpenAI-format clients inline
 * images and files, read by every translator that sends them to another format.
 */
public record DataUrl(String mediaType, String base64) {

  /** Parses {@code data:<media type>[;params];base64,<data>}; anything else is rejected. */
  public static DataUrl parse(String url, String where) {
    int comma = url.indexOf(',');
    if (!url.startsWith("data:") || comma < 0) {
      throw new IllegalArgumentException(where + ": not a data: URL");
    }
    String header = url.substring(5, comma);
    if (!header.endsWith(";base64")) {
      throw new IllegalArgumentException(where + ": only base64 data: URLs are supported");
    }
    String mediaType = header.substring(0, header.length() - 7);
    int semicolon = mediaType.indexOf(';');
    if (semicolon >= 0) {
      mediaType = mediaType.substring(0, semicolon);
    }
    if (mediaType.isEmpty()) {
      throw new IllegalArgumentException(where + ": the data: URL has no media type");
    }
    return new DataUrl(mediaType, url.substring(comma + 1));
  }

  public String toUrl() {
    return "data:" + mediaType + ";base64," + base64;
  }
}
