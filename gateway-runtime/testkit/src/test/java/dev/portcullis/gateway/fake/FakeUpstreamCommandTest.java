package dev.portcullis.gateway.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FakeUpstreamCommandTest {

  @Test
  void defaultsToPort8089AndAHealthyBehaviour() {
    FakeUpstreamCommand command = new FakeUpstreamCommand();
    new CommandLine(command).parseArgs();

    // The environment of the build does not set PORTCULLIS_FAKE_PORT.
    assertThat(command.port).isEqualTo(8089);
    assertThat(Behaviour.parse(command.behaviour)).isEqualTo(Behaviour.none());
  }

  @Test
  void optionsConfigureTheStartedFake() {
    FakeUpstreamCommand command = new FakeUpstreamCommand();
    new CommandLine(command)
        .parseArgs("--port", "0", "--host", "127.0.0.1", "--behaviour", "latency=5ms;tokens=3");

    try (FakeUpstream fake = command.startFake()) {
      assertThat(fake.port()).isPositive();
      assertThat(fake.defaultBehaviour()).isEqualTo(Behaviour.parse("latency=5ms;tokens=3"));
      assertThat(new LoopbackClient(fake).get("/v1/models").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void helpDescribesTheOptions() {
    StringWriter out = new StringWriter();
    int exit =
        new CommandLine(new FakeUpstreamCommand()).setOut(new PrintWriter(out)).execute("--help");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("fake-upstream", "--port", "PORTCULLIS_FAKE_PORT", "--behaviour", "x-fake-");
  }

  @Test
  void anInvalidBehaviourExitsWithAnError() {
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new FakeUpstreamCommand())
            .setErr(new PrintWriter(err))
            .execute("--port", "0", "--behaviour", "bogus=1");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("bogus");
  }
}
