package dev.portcullis.gateway.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.fleet.FleetAck;
import dev.portcullis.api.fleet.FleetProtocol;
import dev.portcullis.api.resolve.SnapshotCodec;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the operator's config service speaking {@link FleetProtocol}: it streams the
 * snapshots it is told to push as NDJSON lines (heartbeats in between), records acknowledgements
 * and refused attempts, and can end every stream or stop listening to play an operator that goes
 * away.
 */
public final class FakeConfigService implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String token;
  private final WebServer server;
  private final List<Stream> streams = new CopyOnWriteArrayList<>();
  public final List<FleetAck> acks = new CopyOnWriteArrayList<>();

  /** {@link System#nanoTime} of each stream request, admitted or not. */
  public final List<Long> attempts = new CopyOnWriteArrayList<>();

  /** {@link System#nanoTime} of each request refused with 401. */
  public final List<Long> refused = new CopyOnWriteArrayList<>();

  private volatile byte[] current;

  private FakeConfigService(String token, int port, byte[] current) {
    this.token = token;
    this.current = current;
    this.server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(port)
            .shutdownHook(false)
            .routing(
                r ->
                    r.get(FleetProtocol.SNAPSHOTS_PATH, this::stream)
                        .post(FleetProtocol.ACKS_PATH, this::acknowledge))
            .build()
            .start();
  }

  /** Listens on a free port and admits {@code token}. */
  public static FakeConfigService start(String token) {
    return new FakeConfigService(token, 0, null);
  }

  /** Listens again on the port of a stopped service, serving {@code snapshot} on connect. */
  public static FakeConfigService restart(String token, int port, Snapshot snapshot) {
    return new FakeConfigService(token, port, SnapshotCodec.toJson(snapshot));
  }

  public int port() {
    return server.port();
  }

  /** Makes {@code snapshot} current: sent on every later connect and now down every stream. */
  public void push(Snapshot snapshot) {
    push(SnapshotCodec.toJson(snapshot));
  }

  /**
   * Makes {@code to} current (sent whole on later connects) and sends open streams the delta from
   * {@code from}, as the operator does for gateways it sent {@code from}.
   */
  public void pushDelta(Snapshot from, Snapshot to) {
    pushDelta(SnapshotDelta.between(from, to), to);
  }

  /** Sends {@code delta} down open streams; {@code to} becomes what a new connection gets. */
  public void pushDelta(SnapshotDelta delta, Snapshot to) {
    current = SnapshotCodec.toJson(to);
    byte[] line = SnapshotCodec.toJson(delta);
    streams.forEach(s -> s.lines.add(line));
  }

  /** Sends raw bytes as one snapshot line (for snapshots this build cannot even read). */
  public void push(byte[] line) {
    current = line;
    streams.forEach(s -> s.lines.add(line));
  }

  /** The number of streams open now. */
  public int openStreams() {
    return streams.size();
  }

  /** Ends every open stream cleanly, as an operator replica shutting down does. */
  public void endStreams() {
    streams.forEach(s -> s.open = false);
  }

  /** The acknowledgements of one version. */
  public List<FleetAck> acksOf(String version) {
    return acks.stream().filter(a -> version.equals(a.version())).toList();
  }

  private void stream(ServerRequest req, ServerResponse res) {
    attempts.add(System.nanoTime());
    if (!authorized(req, res)) {
      return;
    }
    Stream stream = new Stream();
    byte[] first = current;
    if (first != null) {
      stream.lines.add(first);
    }
    streams.add(stream);
    res.header(HeaderNames.CONTENT_TYPE, FleetProtocol.STREAM_CONTENT_TYPE);
    try (OutputStream out = res.outputStream()) {
      out.write('\n');
      out.flush();
      while (stream.open) {
        byte[] line = stream.lines.poll(50, TimeUnit.MILLISECONDS);
        if (line != null) {
          out.write(line);
        }
        out.write('\n');
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the gateway went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      streams.remove(stream);
    }
  }

  private void acknowledge(ServerRequest req, ServerResponse res) {
    if (!authorized(req, res)) {
      return;
    }
    try {
      FleetAck ack = JSON.readValue(req.content().inputStream(), FleetAck.class);
      if (!ack.pod()
          .equals(req.headers().first(HeaderNames.create(FleetProtocol.POD_HEADER)).orElse(null))) {
        res.status(Status.BAD_REQUEST_400).send("pod header and body differ");
        return;
      }
      acks.add(ack);
      res.status(Status.NO_CONTENT_204).send();
    } catch (IOException e) {
      res.status(Status.BAD_REQUEST_400).send("not an acknowledgement");
    }
  }

  private boolean authorized(ServerRequest req, ServerResponse res) {
    String presented = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    if (!presented.equals("Bearer " + token)) {
      refused.add(System.nanoTime());
      res.status(Status.UNAUTHORIZED_401).send("a valid fleet token is required");
      return false;
    }
    return true;
  }

  /** Stops listening; open streams break. */
  @Override
  public void close() {
    endStreams();
    server.stop();
  }

  private static final class Stream {
    final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    volatile boolean open = true;
  }
}
