package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.telemetry.TelemetrySettings;
import dev.portcullis.gateway.testing.GatewayClient;
import dev.portcullis.gateway.testing.SecretScan;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared secret-scan assertion fails when a secret leaks, wherever it leaks, and every test
 * class that starts a gateway is scanned.
 */
class SecretScanTest {
  static final String CREDENTIAL = "sk-upstream-primary";
  static final String NAMED_KEY = "pc-secret-scan-named-key-0123456789";

  @TempDir Path dir;
  Gateway gateway;
  Path accessLog;

  @BeforeEach
  void start() throws Exception {
    accessLog = dir.resolve("access.log");
    gateway =
        Gateway.start(
            GatewaySettings.ephemeral()
                .withTelemetry(new TelemetrySettings(true, accessLog.toString(), Map.of())));
    gateway.apply(
        TestSnapshots.builder()
            .route(
                "team-a",
                "chat",
                "chat",
                Mode.SINGLE,
                TestSnapshots.provider("primary", "openai", "gpt-4o", "http://127.0.0.1:9/v1"))
            .key("team-a", "app", NAMED_KEY)
            .key("team-a", "local", localKey())
            .build());
  }

  /** A key no field holds: the scan must find it by its hash. */
  static String localKey() {
    return "pc-made-in-a-method-" + "4242424242";
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void aProviderCredentialInAnErrorBodyFailsTheScanWithoutShowingIt() {
    SecretScan scan = new SecretScan().watch(gateway);
    scan.observe(
        "an error body", "{\"error\":{\"message\":\"upstream refused " + CREDENTIAL + "\"}}");

    assertThatThrownBy(scan::verify)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the provider credential of team-a/chat/primary in an error body")
        .hasMessageContaining("upstream refused <SECRET>")
        .hasMessageNotContaining(CREDENTIAL);
  }

  @Test
  void aVirtualKeyNoTestFieldHoldsIsFoundByItsHash() {
    SecretScan scan = new SecretScan().watch(gateway);
    scan.observe("stdout", "request from Bearer " + localKey() + " refused\n");

    assertThatThrownBy(scan::verify)
        .hasMessageContaining("a virtual key in stdout")
        .hasMessageNotContaining(localKey());
  }

  @Test
  void aKeyHashInTheConfigurationPageFails() {
    String hash = gateway.appliedSnapshot().keys().getFirst().hashes().getFirst().sha256Hex();
    SecretScan scan = new SecretScan().watch(gateway);
    scan.observe("gateway /config", "{\"keys\":[{\"hash\":\"" + hash + "\"}]}");

    assertThatThrownBy(scan::verify).hasMessageContaining("the hash of virtual key team-a/app");
  }

  @Test
  void aKeyWrittenToTheAccessLogFails() throws IOException {
    SecretScan scan = new SecretScan().watch(gateway);
    Files.writeString(accessLog, "{\"key\":\"" + NAMED_KEY + "\"}\n");

    assertThatThrownBy(scan::verify).hasMessageContaining("access log access.log");
    Files.writeString(accessLog, ""); // the plant is gone before the class's own scan reads it
  }

  @Test
  void aSecretTheGatewayLogsFailsTheRunningTestsOwnScan() {
    // The scan the extension made for this class captures the JVM's log records.
    SecretScan.watching(gateway);
    Logger.getLogger(Gateway.class.getName()).warning("calling upstream with " + CREDENTIAL);

    assertThatThrownBy(() -> SecretScan.current().verify()).hasMessageContaining(" in log: ");
  }

  @Test
  void aSecretPrintedToStandardErrorFailsTheRunningTestsOwnScan() {
    SecretScan.watching(gateway);
    System.err.println("debug: key " + NAMED_KEY);

    assertThatThrownBy(() -> SecretScan.current().verify()).hasMessageContaining("in stderr");
  }

  @Test
  void realTrafficWithBadKeysAndFailingUpstreamsLeaksNothing() {
    GatewayClient app = new GatewayClient(gateway, NAMED_KEY);
    assertThat(app.chat("chat").statusCode()).isEqualTo(502);
    assertThat(new GatewayClient(gateway, "pc-not-a-key-0123456789").chat("chat").statusCode())
        .isEqualTo(401);
    SecretScan scan = new SecretScan().watch(gateway);
    scan.observe("an error body", app.chat("chat").body());

    scan.verify();
  }

  @Test
  void theExtensionRunsForEveryTestClass() {
    SecretScan first = SecretScan.current();
    assertThat(SecretScan.current())
        .as("a scan made by SecretScanExtension for this class (auto-detected)")
        .isSameAs(first);
  }

  /** Test sources that start a gateway: each keeps it in a field or hands it to the scan. */
  @Test
  void everyTestThatStartsAGatewayIsScanned() throws IOException {
    Pattern field =
        Pattern.compile(
            "(?m)^  (?:(?:static|final|private|protected) )*(?:Gateway|List<Gateway>) \\w+( =.*)?;");
    List<Path> unscanned;
    try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
      unscanned =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> read(f).contains("Gateway.start("))
              .filter(f -> !field.matcher(read(f)).find() && !read(f).contains("SecretScan."))
              // The limits contract keeps its implementations' gateways in its own field.
              .filter(f -> !read(f).contains("extends LimitsContract"))
              .toList();
    }
    assertThat(unscanned)
        .as("keep the gateway in a field of the test, or wrap it in SecretScan.watching(…)")
        .isEmpty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
