package dev.portcullis.gateway.prompt;

import static dev.portcullis.gateway.prompt.PromptFixtures.attributes;
import static dev.portcullis.gateway.prompt.PromptFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.template.CompiledTemplate;
import dev.portcullis.api.template.TemplateSyntax;
import dev.portcullis.gateway.http.GatewayException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CompiledPromptsTest {
  /** support-bot has 2 versions of 2 messages, routeless 1 of 1. */
  private static final int MESSAGES = 5;

  private final AtomicInteger compiles = new AtomicInteger();
  private final Function<String, CompiledTemplate> countingCompiler =
      content -> {
        compiles.incrementAndGet();
        return TemplateSyntax.compile(content);
      };

  @Test
  void aSnapshotIsCompiledOnceAndNotPerRequest() {
    CompiledPrompts prompts =
        CompiledPrompts.compile(
            PromptFixtures.supportBotSnapshot(90, 10), CompiledPrompts.EMPTY, countingCompiler);
    assertThat(compiles).hasValue(MESSAGES);

    PromptRenderer renderer = new PromptRenderer();
    for (int i = 0; i < 1_000; i++) {
      ObjectNode body = json("{\"variables\": {\"question\": \"q" + i + "\"}}");
      renderer.render(prompts.require("team-a", "support-bot"), body, attributes(body, null));
    }

    assertThat(compiles).hasValue(MESSAGES);
  }

  @Test
  void aNewSnapshotReusesEveryUnchangedTemplate() {
    CompiledPrompts first =
        CompiledPrompts.compile(
            PromptFixtures.supportBotSnapshot(90, 10), CompiledPrompts.EMPTY, countingCompiler);
    compiles.set(0);

    CompiledPrompts.compile(PromptFixtures.supportBotSnapshot(90, 10), first, countingCompiler);

    assertThat(compiles).hasValue(0);
  }

  @Test
  void aReusedTemplateFollowsTheRoutesOfTheNewSnapshot() {
    PromptTemplateConfig template = PromptFixtures.supportBot(90, 10, null);
    CompiledPrompts first =
        CompiledPrompts.compile(
            PromptFixtures.snapshot(PromptFixtures.routes(), template),
            CompiledPrompts.EMPTY,
            countingCompiler);
    compiles.set(0);
    RouteConfig renamed =
        PromptFixtures.route("team-a", "helpdesk", "helpdesk", "team-a/support-bot");

    CompiledPrompts second =
        CompiledPrompts.compile(
            PromptFixtures.snapshot(List.of(PromptFixtures.routes().getFirst(), renamed), template),
            first,
            countingCompiler);
    ObjectNode body = json("{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v2\"}");
    RenderedPrompt rendered =
        new PromptRenderer()
            .render(second.require("team-a", "support-bot"), body, attributes(body, null));

    assertThat(compiles).hasValue(0);
    assertThat(rendered.route()).isEqualTo("team-a/helpdesk");
  }

  @Test
  void aChangedTemplateIsCompiledAgainAndOnlyIt() {
    CompiledPrompts first =
        CompiledPrompts.compile(
            PromptFixtures.supportBotSnapshot(90, 10), CompiledPrompts.EMPTY, countingCompiler);
    compiles.set(0);

    CompiledPrompts second =
        CompiledPrompts.compile(PromptFixtures.supportBotSnapshot(80, 20), first, countingCompiler);

    assertThat(compiles).hasValue(4);
    assertThat(second.require("team-a", "support-bot").config().rollout())
        .contains(new PromptTemplateConfig.RolloutEntry("v2", 20));
  }

  @Test
  void everyTemplateOfTheSnapshotIsFoundByNamespaceAndName() {
    CompiledPrompts prompts = CompiledPrompts.compile(PromptFixtures.supportBotSnapshot(90, 10));

    assertThat(prompts.size()).isEqualTo(2);
    assertThat(prompts.find("team-a", "support-bot")).isPresent();
    assertThat(prompts.find("team-a", "routeless")).isPresent();
    assertThat(prompts.find("team-a", "other")).isEmpty();
    assertThat(prompts.require("team-a", "support-bot").versionNames()).containsExactly("v1", "v2");
  }

  @Test
  void aTemplateThatDoesNotCompileIsLeftOutAndTheOthersServed() {
    PromptTemplateConfig broken =
        new PromptTemplateConfig(
            new dev.portcullis.api.snapshot.ResourceId("team-a", "broken", 1),
            List.of(),
            List.of(
                new PromptTemplateConfig.Version(
                    "v1",
                    List.of(new PromptTemplateConfig.Message("user", "{{#open}} never closed")),
                    dev.portcullis.api.snapshot.JsonTree.EMPTY,
                    null)),
            List.of(new PromptTemplateConfig.RolloutEntry("v1", 100)),
            null);
    CompiledPrompts prompts =
        CompiledPrompts.compile(
            PromptFixtures.snapshot(PromptFixtures.routes(), broken, PromptFixtures.routeless()));

    assertThat(prompts.find("team-a", "broken")).isEmpty();
    assertThat(prompts.find("team-a", "routeless")).isPresent();
  }

  @Test
  void ofSeveralRoutesNamingATemplateOneOfItsOwnNamespaceIsItsRoute() {
    RouteConfig foreign = PromptFixtures.route("a-team", "shared", "shared", "team-a/support-bot");
    RouteConfig own = PromptFixtures.route("team-a", "support", "support", "team-a/support-bot");
    Snapshot snapshot =
        PromptFixtures.snapshot(
            List.of(foreign, own, PromptFixtures.route("team-a", "chat", "chat", null)),
            PromptFixtures.supportBot(90, 10, null));
    CompiledPrompt prompt = CompiledPrompts.compile(snapshot).require("team-a", "support-bot");
    ObjectNode body = json("{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v2\"}");

    RenderedPrompt rendered = new PromptRenderer().render(prompt, body, attributes(body, null));

    assertThat(rendered.route()).isEqualTo("team-a/support");
  }

  @Test
  void aRouteOfAnotherNamespaceIsNamedWithItsNamespace() {
    RouteConfig foreign = PromptFixtures.route("shared", "llm", "llm", "team-a/support-bot");
    Snapshot snapshot =
        PromptFixtures.snapshot(
            List.of(foreign, PromptFixtures.route("team-a", "chat", "chat", null)),
            PromptFixtures.supportBot(90, 10, null));
    CompiledPrompt prompt = CompiledPrompts.compile(snapshot).require("team-a", "support-bot");
    ObjectNode body = json("{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v2\"}");

    RenderedPrompt rendered = new PromptRenderer().render(prompt, body, attributes(body, null));

    assertThat(rendered.route()).isEqualTo("shared/llm");
    assertThat(rendered.request().get("model").asText()).isEqualTo("shared/llm");
  }

  @Test
  void aVersionWhoseRouteIsNotInTheSnapshotIsUnavailableRatherThanSentElsewhere() {
    CompiledPrompt prompt =
        CompiledPrompts.compile(
                PromptFixtures.snapshot(List.of(), PromptFixtures.supportBot(90, 10, null)))
            .require("team-a", "support-bot");
    ObjectNode body = json("{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v1\"}");

    GatewayException e =
        catchThrowableOfType(
            GatewayException.class,
            () -> new PromptRenderer().render(prompt, body, attributes(body, null)));

    assertThat(e.error().status()).isEqualTo(503);
    assertThat(e.error().code()).isEqualTo("prompt_route_unavailable");
    assertThat(e.error().message()).contains("team-a/chat");
  }
}
