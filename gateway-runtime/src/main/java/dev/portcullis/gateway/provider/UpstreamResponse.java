package dev.portcullis.gateway.provider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * An upstream's answer: status, headers (lower-case names) and a body read as it arrives. The
 * caller must close it; closing before the end aborts the upstream call.
 */
public interface UpstreamResponse extends AutoCloseable {
  int status();

  /** Header value by lower-case name, or null. */
  String header(String name);

  Map<String, String> headers();

  InputStream body();

  @Override
  void close() throws IOException;
}
