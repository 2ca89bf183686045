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

  @Test
  void theUsageStatusIntervalTakesAKubernetesStyleDurationAndDefaultsToTenSeconds() {
    Main main = new Main();
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(main);
    cli.setOut(new PrintWriter(out));
    cli.execute("--help");
    assertThat(out.toString())
        .contains("--usage-status-interval", "PORTCULLIS_USAGE_STATUS_INTERVAL", "default 10s");

    cli.parseArgs("--fleet-token-file", "token", "--usage-status-interval", "30s");
    assertThat(main.usageStatusInterval).isEqualTo(java.time.Duration.ofSeconds(30));
  }
}
