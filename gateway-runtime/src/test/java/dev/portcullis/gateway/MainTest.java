package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    cli.execute(args);
    return out.toString();
  }

  @Test
  void helpDocumentsEveryFlagWithItsEnvironmentVariable() {
    String help = run("--help");
    for (String flag :
        new String[] {
          "--manifests",
          "--operator",
          "--fleet-token-file",
          "--host",
          "--port",
          "--admin-port",
          "--max-body-bytes",
          "--shutdown-grace"
        }) {
      assertThat(help).contains(flag);
    }
    assertThat(help)
        .contains("PORTCULLIS_MANIFESTS", "PORTCULLIS_PORT", "PORTCULLIS_ADMIN_PORT")
        .contains("PORTCULLIS_OPERATOR", "PORTCULLIS_FLEET_TOKEN_FILE");
  }

  @Test
  void helpDocumentsTheTelemetryFlagsAndTheOtelVariables() {
    assertThat(run("--help"))
        .contains("--access-log", "PORTCULLIS_ACCESS_LOG", "stdout, off, or a file path")
        .contains("--request-metrics", "PORTCULLIS_REQUEST_METRICS")
        .contains("OTEL_EXPORTER_OTLP_ENDPOINT");
  }

  @Test
  void anAccessLogThatCannotBeOpenedIsAnErrorNamingTheFile(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path notADirectory = dir.resolve("file");
    java.nio.file.Files.writeString(notADirectory, "x");
    String log = notADirectory.resolve("access.jsonl").toString();
    CommandLine cli = new CommandLine(new Main());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    System.setErr(new java.io.PrintStream(stderr, true));
    int code;
    try {
      code =
          cli.execute(
              "--manifests",
              dir.toString(),
              "--port",
              "0",
              "--admin-port",
              "0",
              "--access-log",
              log);
    } finally {
      System.setErr(original);
    }
    assertThat(code).isEqualTo(2);
    assertThat(stderr.toString()).contains("cannot open the access log", log);
    assertThat(stderr.toString() + err).doesNotContain("\tat ");
  }

  @Test
  void withoutAConfigurationSourceItSaysWhatToGive() {
    CommandLine cli = new CommandLine(new Main());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute()).isEqualTo(2);
  }

  @Test
  void fleetModeNeedsATokenFile() {
    CommandLine cli = new CommandLine(new Main());
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("--operator", "http://127.0.0.1:1")).isEqualTo(2);
  }

  @Test
  void manifestsAndOperatorExcludeEachOther() {
    CommandLine cli = new CommandLine(new Main());
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(
            cli.execute(
                "--manifests", ".", "--operator", "http://127.0.0.1:1", "--fleet-token-file", "t"))
        .isEqualTo(2);
  }

  @Test
  void testToolingIsNotPartOfTheGatewayProgram() {
    // The fake upstream and the load generator are portcullis-testkit.jar's subcommands.
    assertThat(run("--help")).doesNotContain("fake-upstream").doesNotContain("Commands:");
    assertThat(run("fake-upstream")).contains("Unmatched argument");
  }
}
