package dev.portcullis.operator;

import static dev.portcullis.operator.Statuses.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two programs as shipped, run as the README's "Running with the operator" runs them: {@code
 * java -jar operator/target/portcullis-operator.jar} against the current kubeconfig context (here
 * the fabric8 mock API server) and {@code java -jar gateway-runtime/target/portcullis-gateway.jar
 * --operator URL --fleet-token-file F}, each in its own process, with the upstream the README
 * starts beside them ({@code java -jar gateway-runtime/testkit/target/portcullis-testkit.jar
 * fake-upstream --port N}). An integration test (Failsafe): it needs the packaged jars.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorProgramIT {
  static final String TOKEN = "fleet-token-of-the-program-test";
  static KubernetesMockServer server;
  static KubernetesClient client;
  @TempDir static Path dir;

  static TestCluster cluster;
  static Process upstream;
  static int upstreamPort;
  static Process operator;
  static Process gateway;
  static int configPort;
  static int gatewayPort;
  static int adminPort;
  static final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void startBothPrograms() throws Exception {
    TestCluster.installCrds(client);
    cluster = new TestCluster(client);
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s"}}]
        contexts: [{name: mock, context: {cluster: mock, user: tester, namespace: default}}]
        current-context: mock
        users: [{name: tester, user: {token: not-checked-by-the-mock}}]
        """
            .formatted(client.getMasterUrl()));
    Path token = dir.resolve("fleet-token");
    Files.writeString(token, TOKEN + "\n");
    configPort = freePort();
    gatewayPort = freePort();
    adminPort = freePort();
    upstreamPort = freePort();

    upstream =
        start(
            "fake-upstream",
            Path.of("..", "gateway-runtime", "testkit", "target", "portcullis-testkit.jar"),
            List.of(
                "fake-upstream", "--host", "127.0.0.1", "--port", Integer.toString(upstreamPort)),
            kubeconfig);

    operator =
        start(
            "operator",
            Path.of("target", "portcullis-operator.jar"),
            List.of(
                "--fleet-token-file",
                token.toString(),
                "--config-port",
                Integer.toString(configPort),
                "--no-leader-election"),
            kubeconfig);
    gateway =
        start(
            "gateway",
            Path.of("..", "gateway-runtime", "target", "portcullis-gateway.jar"),
            List.of(
                "--operator",
                "http://127.0.0.1:" + configPort,
                "--fleet-token-file",
                token.toString(),
                "--port",
                Integer.toString(gatewayPort),
                "--admin-port",
                Integer.toString(adminPort)),
            kubeconfig);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              assertThat(upstream.isAlive()).as("fake upstream process").isTrue();
              assertThat(status(upstreamUrl() + "/v1/models")).isEqualTo(200);
            });
  }

  static String upstreamUrl() {
    return "http://127.0.0.1:" + upstreamPort;
  }

  static Process start(String name, Path jar, List<String> args, Path kubeconfig)
      throws IOException {
    assertThat(jar).as("packaged by this build").exists();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("POD_NAME", name + "-0");
    Process process = builder.start();
    started.add(process);
    return process;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static String log(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".log"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : started) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  static int status(String url) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static ChatCompletion chat(String key) {
    OpenAIClient openai =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gatewayPort + "/v1")
            .apiKey(key)
            .maxRetries(0)
            .build();
    try {
      return openai
          .chat()
          .completions()
          .create(ChatCompletionCreateParams.builder().model("chat").addUserMessage("hi").build());
    } finally {
      openai.close();
    }
  }

  @Test
  @Order(1)
  void theOperatorReconcilesFromTheKubeconfigContextAndTheGatewayServesTheMintedKey()
      throws Exception {
    cluster.create(
        LLMRoute.class,
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: chat, namespace: default}
        spec:
          model: chat
          targets:
            - {name: fake, provider: openai-compatible, baseUrl: "%s/v1", model: fake-model}
        """
            .formatted(upstreamUrl()));
    cluster.create(
        VirtualKey.class,
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: VirtualKey
        metadata: {name: app, namespace: default}
        spec: {secretName: app-key}
        """);

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              assertThat(operator.isAlive()).as("operator process").isTrue();
              assertThat(state(cluster.get(LLMRoute.class, "default", "chat"), "Ready"))
                  .isEqualTo("True/Ready");
            });
    assertThat(cluster.get(LLMRoute.class, "default", "chat").getStatus().getFleet().getSynced())
        .isEqualTo(1);
    assertThat(status("http://127.0.0.1:" + adminPort + "/readyz")).isEqualTo(200);

    String key = cluster.secretValue("default", "app-key", "apiKey");
    assertThat(chat(key).model()).isEqualTo("fake-model");
  }

  @Test
  @Order(2)
  void neitherProgramLogsTheKeyOrTheFleetToken() throws Exception {
    String key = cluster.secretValue("default", "app-key", "apiKey");

    for (String program : List.of("operator", "gateway")) {
      assertThat(log(program)).as(program + " log").doesNotContain(key).doesNotContain(TOKEN);
    }
  }

  @Test
  @Order(3)
  void theGatewayKeepsServingWhenTheOperatorProcessStops() throws Exception {
    String key = cluster.secretValue("default", "app-key", "apiKey");

    operator.destroy();
    assertThat(operator.waitFor(20, TimeUnit.SECONDS)).as("operator stops on SIGTERM").isTrue();

    assertThat(chat(key).model()).isEqualTo("fake-model");
    assertThat(status("http://127.0.0.1:" + adminPort + "/readyz")).isEqualTo(200);
  }
}
