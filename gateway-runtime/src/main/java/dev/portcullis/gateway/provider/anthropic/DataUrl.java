package dev.portcullis.gateway.provider.anthropic;

/** A base64 {@code data:} URL split into media type and payload. */
record DataUrl(String mediaType, String base64) {

  /** Parses {@code data:<media type>[;params];base64,<data>}; anything else is rejected. */
  static DataUrl parse(String url, String where) {
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

  String toUrl() {
    return "data:" + mediaType + ";base64," + base64;
  }
}
