package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  private record Run(int exitCode, String output) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int exit = cli.execute(args);
    return new Run(exit, out.toString());
  }

  @Test
  void fakeUpstreamIsASubcommand() {
    Run help = run("fake-upstream", "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.output()).contains("--port", "--behaviour");
  }

  @Test
  void loadIsASubcommand() {
    Run help = run("load", "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.output()).contains("--url", "--body", "--concurrency", "--stream", "--ramp");
  }

  @Test
  void idleIsASubcommand() {
    Run help = run("idle", "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.output()).contains("--url", "--connections", "--hold");
  }

  @Test
  void helpListsBothSubcommands() {
    assertThat(run("--help").output()).contains("fake-upstream", "load", "idle");
  }

  @Test
  void withoutASubcommandItNamesThemAndExitsWithAUsageError() {
    Run bare = run();

    assertThat(bare.exitCode()).isEqualTo(2);
    assertThat(bare.output()).contains("Name a subcommand: fake-upstream or load.");
  }
}
