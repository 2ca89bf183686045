package dev.portcullis.operator;

import dev.portcullis.api.fleet.FleetProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in gateway speaking the config protocol with plain JDK HTTP: collects the versions it is
 * sent and answers as told. Lets status tests control acknowledgements exactly.
 */
final class FleetTestClient implements AutoCloseable {
  private static final Pattern VERSION = Pattern.compile("\"version\":\"(sha256:[0-9a-f]+)\"");
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final String token;
  private final String pod;
  final List<String> received = new CopyOnWriteArrayList<>();

  /** Every message line as sent (snapshots and deltas; heartbeats left out). */
  final List<String> messages = new CopyOnWriteArrayList<>();

  private volatile InputStream stream;
  private Thread reader;

  FleetTestClient(int port, String token, String pod) {
    this.base = URI.create("http://127.0.0.1:" + port);
    this.token = token;
    this.pod = pod;
  }

  /** Opens the stream; returns its HTTP status. */
  int connect() throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(base.resolve(FleetProtocol.SNAPSHOTS_PATH))
                .header("Authorization", "Bearer " + token)
                .header(FleetProtocol.POD_HEADER, pod)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      response.body().close();
      return response.statusCode();
    }
    stream = response.body();
    reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader lines =
                      new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                      if (!line.isEmpty()) {
                        messages.add(line);
                      }
                      Matcher m = VERSION.matcher(line);
                      if (!line.isEmpty() && m.find()) {
                        received.add(m.group(1));
                      }
                    }
                  } catch (IOException e) {
                    // closed
                  }
                });
    return 200;
  }

  String latest() {
    return received.isEmpty() ? null : received.getLast();
  }

  int ack(String version) throws IOException, InterruptedException {
    return post("{\"pod\":\"" + pod + "\",\"version\":\"" + version + "\",\"applied\":true}");
  }

  int nack(String version, String reason) throws IOException, InterruptedException {
    return post(
        "{\"pod\":\""
            + pod
            + "\",\"version\":\""
            + version
            + "\",\"applied\":false,\"reason\":\""
            + reason
            + "\"}");
  }

  /** Posts a usage report (JSON) as this pod; returns the HTTP status. */
  int usage(String report) throws IOException, InterruptedException {
    return post(FleetProtocol.USAGE_PATH, report);
  }

  private int post(String body) throws IOException, InterruptedException {
    return post(FleetProtocol.ACKS_PATH, body);
  }

  private int post(String path, String body) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token)
                .header(FleetProtocol.POD_HEADER, pod)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Override
  public void close() throws IOException {
    if (stream != null) {
      stream.close();
    }
    http.close();
  }
}
