package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    List<SseEvent> events = new ArrayList<>();
    String event = null;
    StringBuilder data = new StringBuilder();
    String line;
    while (events.size() < max && (line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (!data.isEmpty() || event != null) {
          events.add(new SseEvent(event, data.toString(), System.nanoTime()));
        }
        event = null;
        data.setLength(0);
      } else if (line.startsWith("event:")) {
        event = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        if (!data.isEmpty()) {
          data.append('\n');
        }
        data.append(line.substring(5).strip());
      }
    }
    return events;
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
