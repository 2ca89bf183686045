package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.Durations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code webhook} check: POSTs the text and the request's metadata (never a key) to the URL and
 * fires when the service says so. The whole exchange (connect, send, answer) must finish within
 * {@code timeout} (absent: 1s); a timeout, a connection error, a non-2xx status or an answer that
 * is not the verdict below counts as a failure, and {@code failureMode} decides: {@code Open} lets
 * the text pass, {@code Closed} (absent) treats it as matching.
 *
 * <p>Request body (JSON): {@code {"stage":"input"|"output","policy":"ns/name","check":"name",
 * "text":"...","request":{"id":...,"route":"ns/name","model":...,"keyId":"vk_...",
 * "keyNamespace":...,"keyMetadata":{...}}}}. Verdict (JSON, status 2xx): {@code {"match":
 * true|false, "reason": "optional, logged, never sent to the caller"}}.
 *
 * <p>It judges whole text: on a stream it runs once at the end.
 */
final class CompiledWebhookCheck implements WholeTextCheck {
  private static final Logger LOG = Logger.getLogger(CompiledWebhookCheck.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  /** One client for all webhooks: it pools connections per host and owns no per-check state. */
  private static final class Client {
    static final HttpClient HTTP =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  private final URI url;
  private final Duration timeout;
  private final boolean failOpen;

  private CompiledWebhookCheck(URI url, Duration timeout, boolean failOpen) {
    this.url = url;
    this.timeout = timeout;
    this.failOpen = failOpen;
  }

  static CompiledWebhookCheck compile(JsonNode settings, CheckTypeRegistry.CompileContext context) {
    URI url;
    try {
      url = URI.create(settings.path("url").asText(""));
    } catch (IllegalArgumentException e) {
      throw new GuardrailCompileException("webhook.url: not a URL", e);
    }
    if (url.getScheme() == null
        || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
      throw new GuardrailCompileException("webhook.url: use an http or https URL");
    }
    Duration timeout = DEFAULT_TIMEOUT;
    if (settings.hasNonNull("timeout")) {
      try {
        timeout = Durations.parse(settings.get("timeout").asText());
      } catch (RuntimeException e) {
        throw new GuardrailCompileException("webhook.timeout: not a duration such as 500ms", e);
      }
    }
    String mode = settings.path("failureMode").asText("Closed");
    if (!mode.equals("Open") && !mode.equals("Closed")) {
      throw new GuardrailCompileException("webhook.failureMode: Open or Closed");
    }
    // Build the client now (it sets up TLS, which can take seconds), not inside a request's
    // timeout.
    Client.HTTP.version();
    return new CompiledWebhookCheck(url, timeout, mode.equals("Open"));
  }

  @Override
  public boolean fires(String text, CheckContext context) {
    CompletableFuture<HttpResponse<String>> call = null;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .timeout(timeout)
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body(text, context)))
              .build();
      call = Client.HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> response = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (response.statusCode() / 100 != 2) {
        return failed(context, "status " + response.statusCode());
      }
      JsonNode verdict = JSON.readTree(response.body());
      if (verdict == null || !verdict.path("match").isBoolean()) {
        return failed(context, "the answer has no boolean \"match\"");
      }
      if (verdict.path("match").booleanValue() && verdict.hasNonNull("reason")) {
        LOG.fine(
            () ->
                "webhook "
                    + context.policy()
                    + "/"
                    + context.check()
                    + " matched: "
                    + verdict.get("reason").asText());
      }
      return verdict.path("match").booleanValue();
    } catch (TimeoutException e) {
      return failed(context, "no answer within " + Durations.format(timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(context, "interrupted");
    } catch (ExecutionException | java.io.IOException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      return failed(context, cause.getClass().getSimpleName());
    } finally {
      if (call != null && !call.isDone()) {
        call.cancel(true);
      }
    }
  }

  private boolean failed(CheckContext context, String why) {
    LOG.log(
        Level.WARNING,
        "guardrail webhook {0}/{1} at {2} failed ({3}); failureMode {4}",
        new Object[] {
          context.policy(), context.check(), url, why, failOpen ? "Open: passes" : "Closed: fires"
        });
    return !failOpen;
  }

  private static String body(String text, CheckContext context) {
    ObjectNode body = JSON.createObjectNode();
    body.put("stage", context.stage());
    body.put("policy", context.policy());
    body.put("check", context.check());
    body.put("text", text);
    ObjectNode request = body.putObject("request");
    GuardrailRequest r = context.request();
    if (r != null) {
      request.put("id", r.requestId());
      request.put("route", r.route());
      request.put("model", r.model());
      request.put("keyId", r.keyId());
      request.put("keyNamespace", r.keyNamespace());
      ObjectNode meta = request.putObject("keyMetadata");
      r.keyMetadata().forEach(meta::put);
    }
    return body.toString();
  }
}
