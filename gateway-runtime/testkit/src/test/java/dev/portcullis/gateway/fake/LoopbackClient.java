package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** JDK HttpClient calls to a fake on loopback, with SSE read event by event and timed. */
final class LoopbackClient {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String baseUrl;

  LoopbackClient(FakeUpstream fake) {
    this.baseUrl = fake.baseUrl();
  }

  /** One server-sent event and when its last line arrived. */
  record SseEvent(String event, String data, long arrivedNanos) {
    JsonNode json() {
      try {
        return MAPPER.readTree(data);
      } catch (IOException e) {
        throw new UncheckedIOException("event data is not JSON: " + data, e);
      }
    }
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
  }

  HttpResponse<String> post(String path, String json, String... headers) {
    HttpRequest.Builder request =
        request(path)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request = request(path).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Posts and opens the response body as a stream (headers have arrived when this returns). */
  HttpResponse<InputStream> open(String path, String json, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        request(path)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Posts and reads the whole SSE stream. */
  List<SseEvent> stream(String path, String json, String... headers)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> response = open(path, json, headers);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "status " + response.statusCode() + ": " + new String(response.body().readAllBytes()));
    }
    try (InputStream body = response.body()) {
      return readEvents(body, Integer.MAX_VALUE);
    }
  }

  /** Reads up to {@code max} events (fewer if the stream ends). */
  static List<SseEvent> readEvents(InputStream body, int max) throws IOException {
    List<SseEvent> events = new ArrayList<>();
    readEvents(body, max, events);
    return events;
  }

  /**
   * Appends events to {@code events} as they arrive, so they survive a broken stream. Reads raw
   * bytes (not through a Reader, which may read ahead into the failure and drop decoded lines).
   */
  static void readEvents(InputStream body, int max, List<SseEvent> events) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    String event = null;
    StringBuilder data = new StringBuilder();
    byte[] buffer = new byte[8192];
    int n;
    while (events.size() < max && (n = body.read(buffer)) > 0) {
      for (int i = 0; i < n && events.size() < max; i++) {
        byte b = buffer[i];
        if (b == '\r') {
          continue; // CRLF and LF line ends alike
        }
        if (b != '\n') {
          line.write(b);
          continue;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
          if (!data.isEmpty() || event != null) {
            events.add(new SseEvent(event, data.toString(), System.nanoTime()));
          }
          event = null;
          data.setLength(0);
        } else if (text.startsWith("event:")) {
          event = text.substring(6).strip();
        } else if (text.startsWith("data:")) {
          if (!data.isEmpty()) {
            data.append('\n');
          }
          data.append(text.substring(5).strip());
        }
      }
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    return json(response.body());
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }
}
