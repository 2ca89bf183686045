package dev.portcullis.gateway.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.ManifestConfigSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/prompt-ab/README.md} is true: the gateway runs in standalone mode on the
 * example's folder (as the README's {@code java -jar … --manifests examples/prompt-ab} does, on a
 * free port), and every {@code sh} block of the README after that one runs in {@code bash} and must
 * print exactly the {@code text} block that follows it.
 */
class PromptAbExampleTest {
  private static final Pattern BLOCK = Pattern.compile("```(sh|text)\\n(.*?)```", Pattern.DOTALL);

  Gateway gateway;
  ManifestConfigSource source;

  @BeforeEach
  void start() throws IOException {
    gateway = Gateway.start(GatewaySettings.ephemeral());
    source = ManifestConfigSource.start(example(), gateway);
  }

  @AfterEach
  void stop() throws IOException {
    source.close();
    gateway.close();
  }

  private static Path example() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("examples")) && Files.exists(d.resolve("pom.xml"))) {
        return d.resolve("examples/prompt-ab");
      }
    }
    throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
  }

  /** A command of the README and what the README says it prints. */
  record Shown(String command, String answer) {}

  private static List<Shown> shownCommands() throws IOException {
    String readme = Files.readString(example().resolve("README.md"), StandardCharsets.UTF_8);
    Matcher m = BLOCK.matcher(readme);
    List<Shown> shown = new ArrayList<>();
    String command = null;
    while (m.find()) {
      if (m.group(1).equals("sh")) {
        command = m.group(2).contains("java -jar") ? null : m.group(2);
      } else if (command != null) {
        shown.add(new Shown(command, m.group(2)));
        command = null;
      }
    }
    return shown;
  }

  private String run(String command) throws Exception {
    Process bash =
        new ProcessBuilder(
                "bash",
                "-c",
                command.replace("http://localhost:8080", "http://127.0.0.1:" + gateway.port()))
            .redirectErrorStream(true)
            .start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void everyCommandOfTheReadmePrintsWhatTheReadmeShows() throws Exception {
    List<Shown> shown = shownCommands();
    assertThat(shown).as("commands with answers in the README").hasSizeGreaterThanOrEqualTo(6);
    SoftAssertions each = new SoftAssertions();
    for (Shown s : shown) {
      each.assertThat(run(s.command()).strip()).as(s.command()).isEqualTo(s.answer().strip());
    }
    each.assertAll();
  }

  @Test
  void theReadmeShowsBothVersionsStickyUsersStreamingAndAMissingVariable() throws Exception {
    String answers = String.join("\n", shownCommands().stream().map(Shown::answer).toList());

    assertThat(answers)
        .contains("x-portcullis-prompt-version: v1")
        .contains("x-portcullis-prompt-version: v2")
        .contains("data: [DONE]")
        .contains("\"code\":\"missing_variable\"");
  }

  @Test
  void aUserKeepsTheirVersionOnEveryRequest() throws Exception {
    String first = run(shownCommands().getFirst().command());
    for (int i = 0; i < 3; i++) {
      assertThat(run(shownCommands().getFirst().command())).isEqualTo(first);
    }
  }
}
