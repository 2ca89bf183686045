package dev.portcullis.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a plain socket, for tests that must send exactly the bytes they mean
 * (broken framing, pipelined requests, trickles) and see exactly what comes back.
 */
public final class RawHttpConnection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** An answer as it came off the wire. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean closesConnection() {
      String value = header("connection");
      return value != null && value.equalsIgnoreCase("close");
    }
  }

  public RawHttpConnection(int port) throws IOException {
    this.socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public RawHttpConnection send(String raw) throws IOException {
    return send(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttpConnection send(byte[] raw) throws IOException {
    out.write(raw);
    out.flush();
    return this;
  }

  /** Reads one final response, past any interim 1xx (a HEAD's without a body when {@code head}). */
  public Response read() throws IOException {
    return read(false);
  }

  public Response read(boolean head) throws IOException {
    Response r = readOne(head);
    while (r.status() >= 100 && r.status() < 200) {
      r = readOne(head);
    }
    return r;
  }

  private Response readOne(boolean head) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("connection closed before a response");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while (!(line = line()).isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip());
    }
    byte[] body;
    if (head || status < 200 || status == 204 || status == 304) {
      body = new byte[0];
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      while (true) {
        int size = Integer.parseInt(line().split(";")[0].strip(), 16);
        if (size == 0) {
          while (!line().isEmpty()) {}
          break;
        }
        all.write(in.readNBytes(size));
        line();
      }
      body = all.toByteArray();
    } else if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /**
   * Whether the server closed the connection within the wait, with nothing more sent; false when
   * bytes arrive or the connection stays open and silent.
   */
  public boolean closedByServer(Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    } finally {
      socket.setSoTimeout(10_000);
    }
  }

  /** Whatever arrives within the wait (empty when nothing does), up to the connection's close. */
  public String drain(Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try {
      int b;
      while ((b = in.read()) >= 0) {
        all.write(b);
      }
    } catch (SocketTimeoutException e) {
      // silence: return what came
    } catch (IOException e) {
      // reset: return what came
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  private String line() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      buf.write(b);
    }
    return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
