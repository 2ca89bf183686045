package dev.portcullis.gateway.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.ManifestConfigSource;
import dev.portcullis.gateway.fake.FakeUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the commands of {@code examples/guardrails/README.md} as written (their JSON bodies read
 * from the README) against the gateway started standalone on the example's folder and the fake
 * upstream (on a free port instead of the README's 8089), and checks each does what the README
 * says.
 */
class ExampleGuardrailsTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern CURL = Pattern.compile("-d '(\\{.*\\})'");
  static final Pattern PATH = Pattern.compile("curl -s\\S* http://localhost:8080(/\\S+)");

  @TempDir static Path dir;
  static FakeUpstream fake;
  static Gateway gateway;
  static ManifestConfigSource source;
  static List<String> bodies;
  static List<String> paths;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    Path example = examples().resolve("guardrails");
    try (Stream<Path> files = Files.list(example)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        fake = fake == null ? FakeUpstream.start(0) : fake;
        String yaml = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(
            dir.resolve(file.getFileName()),
            yaml.replace("127.0.0.1:8089", "127.0.0.1:" + fake.port()));
      }
    }
    String readme = Files.readString(example.resolve("README.md"));
    bodies = new ArrayList<>();
    Matcher m = CURL.matcher(readme);
    while (m.find()) {
      bodies.add(m.group(1));
    }
    paths = new ArrayList<>();
    Matcher p = PATH.matcher(readme);
    while (p.find()) {
      paths.add(p.group(1));
    }
    Matcher k = Pattern.compile("KEY=(\\S+)").matcher(readme);
    assertThat(k.find()).isTrue();
    key = k.group(1);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    source = ManifestConfigSource.start(dir, gateway);
  }

  @AfterAll
  static void stop() throws Exception {
    source.close();
    gateway.close();
    fake.close();
  }

  static Path examples() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("examples")) && Files.exists(d.resolve("pom.xml"))) {
        return d.resolve("examples");
      }
    }
    throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
  }

  /** The README's command number {@code index} (0-based), as curl sends it. */
  static HttpResponse<String> run(int index) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + paths.get(index)))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(index)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode choice(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("choices").path(0);
  }

  @Test
  void theReadmeShowsSevenCommands() {
    assertThat(bodies).hasSize(7);
    assertThat(paths).hasSize(7);
  }

  @Test
  void emailAndHostNameComeBackMasked() throws Exception {
    HttpResponse<String> response = run(0);

    String content = choice(response).path("message").path("content").asText();
    assertThat(content).isEqualTo("Echo: Mail [EMAIL_1] about [REDACTED_1]");
    assertThat(response.headers().firstValue("x-portcullis-guardrails").orElse(""))
        .contains("mask-pii")
        .contains("mask-internal-hosts");
  }

  @Test
  void anAnswerNamingACompetitorIsRefused() throws Exception {
    JsonNode choice = choice(run(1));

    assertThat(choice.path("finish_reason").asText()).isEqualTo("content_filter");
    assertThat(choice.path("message").path("content").isNull()).isTrue();
    assertThat(choice.path("message").path("refusal").asText())
        .contains("Blocked by the example content policy")
        .contains("no-competitors");
  }

  @Test
  void theStreamedAnswerStopsBeforeTheWordWithContentFilterAndDone() throws Exception {
    HttpResponse<String> response = run(2);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .doesNotContainIgnoringCase("acme")
        .contains("\"finish_reason\":\"content_filter\"")
        .contains("data: [DONE]")
        .contains(": x-portcullis-guardrails=denied:default/content-policy/no-competitors");
  }

  @Test
  void jsonThatFitsTheSchemaPasses() throws Exception {
    JsonNode choice = choice(run(3));

    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.path("message").path("content").asText()).isEqualTo("{\"answer\": \"42\"}");
  }

  @Test
  void anythingElseIsRefusedOnTheExtractRoute() throws Exception {
    JsonNode choice = choice(run(4));

    assertThat(choice.path("finish_reason").asText()).isEqualTo("content_filter");
    assertThat(choice.path("message").path("refusal").asText()).contains("answer-object");
  }

  @Test
  void aResponsesApiAnswerNamingACompetitorIsAnIncompleteRefusal() throws Exception {
    HttpResponse<String> response = run(5);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.path("status").asText()).isEqualTo("incomplete");
    assertThat(answer.path("incomplete_details").path("reason").asText())
        .isEqualTo("content_filter");
    assertThat(answer.path("output")).hasSize(1);
    JsonNode part = answer.path("output").path(0).path("content").path(0);
    assertThat(part.path("type").asText()).isEqualTo("refusal");
    assertThat(part.path("refusal").asText()).contains("no-competitors");
    assertThat(response.body()).doesNotContainIgnoringCase("acme");
  }

  @Test
  void aLikelyPromptInjectionIsServedButFlagged() throws Exception {
    HttpResponse<String> response = run(6);

    assertThat(choice(response).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(response.headers().firstValue("x-portcullis-guardrails").orElse(""))
        .contains("flagged:default/content-policy/injection");
  }
}
