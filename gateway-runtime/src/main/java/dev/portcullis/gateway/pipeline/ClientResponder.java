package dev.portcullis.gateway.pipeline;

import java.io.OutputStream;

/** Where the pipeline writes its answer; the HTTP layer implements it over the server response. */
public interface ClientResponder {
  /** Sets a response header; only before {@link #send} or {@link #startStream}. */
  void header(String name, String value);

  void send(int status, String contentType, byte[] body);

  /**
   * Starts a streamed response. Every {@code flush()} on the returned stream sends what was written
   * so far; a write failing means the client has gone away.
   */
  OutputStream startStream(int status, String contentType);

  /** Whether the status line has been decided (sent or streaming): no error can follow. */
  boolean committed();
}
