package dev.portcullis.gateway.prompt;

import static dev.portcullis.gateway.prompt.PromptFixtures.attributes;
import static dev.portcullis.gateway.prompt.PromptFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.gateway.http.GatewayException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A plain {@code /v1/chat/completions} request to {@code team-a/support}, whose {@code
 * spec.promptTemplate} is {@code support-bot}: variables come in a {@code variables} body field
 * (the SDKs' extra body), the template's messages come first, and the field never reaches the
 * upstream.
 */
class RouteDefaultTemplateTest {
  private final CompiledPrompts prompts =
      CompiledPrompts.compile(PromptFixtures.supportBotSnapshot(90, 10));
  private final RouteConfig support = PromptFixtures.routes().getLast();
  private final PromptRenderer renderer = new PromptRenderer();

  private RenderedPrompt apply(String body) {
    ObjectNode node = json(body);
    CompiledPrompt prompt = prompts.defaultFor(support).orElseThrow();
    return renderer.applyRouteDefault(prompt, support, node, attributes(node, null));
  }

  @Test
  void theTemplatesMessagesComeFirstThenTheCallersAndVariablesAreStripped() {
    RenderedPrompt rendered =
        apply(
            """
            {"model": "support",
             "messages": [{"role": "user", "content": "And the refund?"}],
             "variables": {"question": "Where is my order?", "tone": "calm"},
             "version": "v1",
             "temperature": 0.1}
            """);

    assertThat(rendered.request())
        .isEqualTo(
            json(
                """
                {"model": "support",
                 "messages": [
                   {"role": "system", "content": "You are a calm support agent."},
                   {"role": "user", "content": "Where is my order?"},
                   {"role": "user", "content": "And the refund?"}],
                 "temperature": 0.1, "max_tokens": 500}
                """));
    assertThat(rendered.version()).isEqualTo("v1");
    assertThat(rendered.template()).isEqualTo("team-a/support-bot");
  }

  @Test
  void theRequestStaysOnItsRouteWhateverTheVersionNames() {
    RenderedPrompt rendered =
        apply(
            "{\"model\": \"support\", \"messages\": [], \"variables\": {\"question\": \"Hi\"},"
                + " \"version\": \"v1\"}");

    // v1 names team-a/chat for prompt requests; a chat request already chose its route.
    assertThat(rendered.route()).isEqualTo("team-a/support");
    assertThat(rendered.request().get("model").asText()).isEqualTo("support");
  }

  @Test
  void withoutVariablesTheRequiredOneIsMissing() {
    GatewayException e =
        catchThrowableOfType(
            GatewayException.class,
            () ->
                apply(
                    "{\"model\": \"support\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}"));

    assertThat(e.error().status()).isEqualTo(400);
    assertThat(e.error().code()).isEqualTo("missing_variable");
    assertThat(e.error().param()).isEqualTo("variables.question");
  }

  @Test
  void theRolloutAndStreamApplyAsForPromptRequests() {
    RenderedPrompt rendered =
        apply(
            "{\"model\": \"support\", \"stream\": true, \"messages\": [],"
                + " \"variables\": {\"question\": \"Hi\"}, \"version\": \"v2\"}");

    assertThat(rendered.version()).isEqualTo("v2");
    assertThat(rendered.stream()).isTrue();
    assertThat(rendered.request().get("temperature").asDouble()).isEqualTo(0.7);
  }

  @Test
  void aRouteWithoutADefaultTemplateHasNone() {
    assertThat(prompts.defaultFor(PromptFixtures.routes().getFirst())).isEmpty();
  }

  @Test
  void aRouteNamingATemplateThisGatewayDoesNotHaveIsUnavailableNotUntemplated() {
    RouteConfig broken = PromptFixtures.route("team-a", "broken", "broken", "team-a/missing");
    CompiledPrompts withBroken =
        CompiledPrompts.compile(
            PromptFixtures.snapshot(List.of(broken), PromptFixtures.supportBot(90, 10, null)));

    GatewayException e =
        catchThrowableOfType(GatewayException.class, () -> withBroken.defaultFor(broken));

    assertThat(e.error().status()).isEqualTo(503);
    assertThat(e.error().code()).isEqualTo("prompt_template_unavailable");
    assertThat(e.error().message()).contains("team-a/missing").contains("team-a/broken");
  }
}
