package dev.portcullis.gateway.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link ClientResponder} that keeps what the pipeline answered in memory: status, headers, a
 * whole body or the bytes of a stream. It can play a client that leaves mid-stream.
 */
public final class TestingResponder implements ClientResponder {
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private int status;
  private String contentType;
  private boolean streamed;
  private boolean committed;
  private int sends;
  private int flushesBeforeLeaving = -1;
  private int flushes;

  /** The client goes away after this many flushes of a stream (its next write fails). */
  public TestingResponder leaveAfterFlushes(int flushes) {
    this.flushesBeforeLeaving = flushes;
    return this;
  }

  @Override
  public void header(String name, String value) {
    if (committed) {
      throw new IllegalStateException("header " + name + " set after the response began");
    }
    headers.put(name, value);
  }

  @Override
  public void send(int status, String contentType, byte[] body) {
    if (committed) {
      throw new IllegalStateException("a second answer after the response began");
    }
    committed = true;
    sends++;
    this.status = status;
    this.contentType = contentType;
    this.body.writeBytes(body);
  }

  @Override
  public OutputStream startStream(int status, String contentType) {
    if (committed) {
      throw new IllegalStateException("a stream after the response began");
    }
    committed = true;
    streamed = true;
    this.status = status;
    this.contentType = contentType;
    return new OutputStream() {
      private boolean gone;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (gone || (flushesBeforeLeaving >= 0 && flushes >= flushesBeforeLeaving)) {
          gone = true;
          throw new IOException("client went away");
        }
        body.write(b, off, len);
      }

      @Override
      public void flush() {
        flushes++;
      }
    };
  }

  @Override
  public boolean committed() {
    return committed;
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  /** Null when the header was not set. */
  public String header(String name) {
    return headers.get(name);
  }

  public Map<String, String> headers() {
    return Map.copyOf(headers);
  }

  public boolean streamed() {
    return streamed;
  }

  /** Whole answers sent (a second one would be a bug). */
  public int sends() {
    return sends;
  }

  /** The whole body, or the stream's bytes as far as the client got them. */
  public String text() {
    return body.toString(StandardCharsets.UTF_8);
  }
}
