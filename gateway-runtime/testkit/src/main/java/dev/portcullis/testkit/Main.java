package dev.portcullis.testkit;

import dev.portcullis.gateway.fake.FakeUpstreamCommand;
import dev.portcullis.gateway.loadgen.IdleCommand;
import dev.portcullis.gateway.loadgen.LoadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The test tooling as a program: {@code java -jar portcullis-testkit.jar fake-upstream --port N} or
 * {@code java -jar portcullis-testkit.jar load …} (or {@code idle …}, idle keep-alive connections).
 * Without a subcommand it prints its usage and exits with 2, as picocli does for a missing required
 * subcommand.
 */
@Command(
    name = "portcullis-testkit",
    mixinStandardHelpOptions = true,
    version = "portcullis-testkit 0.1.0",
    description = {
      "Test tooling for Portcullis, kept out of the gateway's jar: a fake LLM upstream for"
          + " examples and end-to-end runs, and the load generator of the benchmarks."
    },
    subcommands = {FakeUpstreamCommand.class, LoadCommand.class, IdleCommand.class})
public final class Main implements Runnable {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Name a subcommand: fake-upstream or load.");
  }
}
