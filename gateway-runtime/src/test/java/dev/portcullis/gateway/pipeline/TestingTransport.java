package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.provider.UpstreamTimeouts;
import dev.portcullis.gateway.provider.UpstreamTransport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link UpstreamTransport} that answers from a script, in memory: each request takes the next
 * scripted answer (the last one repeats). Answers speak the real wire shapes: JSON bodies with a
 * Content-Length, event streams, error statuses, and streams that break part way.
 */
public final class TestingTransport implements UpstreamTransport {
  private final Deque<Scripted> script = new ArrayDeque<>();
  private final List<UpstreamRequest> requests = new ArrayList<>();
  private final List<Answer> answers = new ArrayList<>();

  private record Scripted(int status, String contentType, String body, boolean breaks) {}

  /** Answers 200 with this JSON body. */
  public TestingTransport json(String body) {
    script.add(new Scripted(200, "application/json", body, false));
    return this;
  }

  /** Answers 200 with this event stream, to its end. */
  public TestingTransport stream(String sse) {
    script.add(new Scripted(200, "text/event-stream", sse, false));
    return this;
  }

  /** Answers 200 with these events, then the connection breaks. */
  public TestingTransport streamThenBreak(String sse) {
    script.add(new Scripted(200, "text/event-stream", sse, true));
    return this;
  }

  /** Answers with an error status and this JSON body. */
  public TestingTransport error(int status, String body) {
    script.add(new Scripted(status, "application/json", body, false));
    return this;
  }

  @Override
  public UpstreamResponse send(UpstreamRequest request, UpstreamTimeouts timeouts) {
    requests.add(request);
    Scripted next = script.size() > 1 ? script.poll() : script.peek();
    if (next == null) {
      throw new IllegalStateException("no answer scripted for " + request);
    }
    Answer answer = new Answer(next);
    answers.add(answer);
    return answer;
  }

  /** The requests sent, in order. */
  public List<UpstreamRequest> requests() {
    return List.copyOf(requests);
  }

  /** The body of the last request sent. */
  public String lastBody() {
    return new String(requests.getLast().body(), StandardCharsets.UTF_8);
  }

  /** Whether every answer handed out was closed (so its connection was released). */
  public boolean allClosed() {
    return answers.stream().allMatch(a -> a.closed);
  }

  /** Reads end at the end of an event (a blank line), so each read brings at most one. */
  private static final class EventPerRead extends InputStream {
    private final byte[] bytes;
    private int position;

    EventPerRead(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
      if (position >= bytes.length) {
        return -1;
      }
      int end = position;
      while (end < bytes.length
          && end - position < len
          && !(end > position && bytes[end - 1] == '\n' && bytes[end] == '\n')) {
        end++;
      }
      if (end < bytes.length && end - position < len) {
        end++; // the blank line's \n
      }
      int n = end - position;
      System.arraycopy(bytes, position, buf, off, n);
      position = end;
      return n;
    }
  }

  private static final class Answer implements UpstreamResponse {
    private final Scripted scripted;
    private final Map<String, String> headers = new HashMap<>();
    private final InputStream body;
    private boolean closed;

    Answer(Scripted scripted) {
      this.scripted = scripted;
      byte[] bytes = scripted.body().getBytes(StandardCharsets.UTF_8);
      headers.put("content-type", scripted.contentType());
      if (!scripted.contentType().startsWith("text/event-stream")) {
        headers.put("content-length", Integer.toString(bytes.length));
      }
      // A stream comes one event per read, as an upstream that flushes each event sends it.
      InputStream content =
          scripted.contentType().startsWith("text/event-stream")
              ? new EventPerRead(bytes)
              : new ByteArrayInputStream(bytes);
      this.body =
          scripted.breaks()
              ? new InputStream() {
                @Override
                public int read() throws IOException {
                  int b = content.read();
                  if (b < 0) {
                    throw new IOException("connection reset");
                  }
                  return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                  int n = content.read(buf, off, len);
                  if (n < 0) {
                    throw new IOException("connection reset");
                  }
                  return n;
                }
              }
              : content;
    }

    @Override
    public int status() {
      return scripted.status();
    }

    @Override
    public String header(String name) {
      return headers.get(name);
    }

    @Override
    public Map<String, String> headers() {
      return Map.copyOf(headers);
    }

    @Override
    public InputStream body() {
      return body;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
