package dev.portcullis.gateway.testing;

import dev.portcullis.gateway.Gateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Sends OpenAI chat requests to a test gateway with a virtual key. */
public final class GatewayClient {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Gateway gateway;
  private final String key;

  public GatewayClient(Gateway gateway, String key) {
    this.gateway = gateway;
    this.key = key;
  }

  public HttpResponse<String> chat(String model) {
    return chat(model, false, Map.of());
  }

  public HttpResponse<String> chat(String model, boolean stream, Map<String, String> headers) {
    return chatWithBody(
        "{\"model\":\""
            + model
            + "\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        headers);
  }

  public HttpResponse<String> chatWithBody(String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      SecretScan.observed("a response body", response.body());
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }
}
