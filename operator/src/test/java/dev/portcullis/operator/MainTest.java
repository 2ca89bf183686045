package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void helpListsEveryFlagWithItsEnvironmentVariable() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString())
        .contains("--config-port", "--fleet-token-file", "--namespaces", "--tls-cert", "--tls-key")
        .contains("--[no-]leader-election", "--lease-namespace")
        .contains("PORTCULLIS_CONFIG_PORT", "PORTCULLIS_FLEET_TOKEN_FILE", "PORTCULLIS_NAMESPACES")
        .contains("default 8081");
  }
}
