package dev.portcullis.gateway.prompt;

import static dev.portcullis.gateway.prompt.PromptFixtures.attributes;
import static dev.portcullis.gateway.prompt.PromptFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.gateway.http.ApiError;
import dev.portcullis.gateway.http.GatewayException;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class PromptRendererTest {
  private final CompiledPrompts prompts =
      CompiledPrompts.compile(PromptFixtures.supportBotSnapshot(90, 10));
  private final CompiledPrompt supportBot = prompts.require("team-a", "support-bot");
  private final PromptRenderer renderer =
      new PromptRenderer(new RolloutPicker(new Random(7)::nextInt));

  private RenderedPrompt render(String body) {
    ObjectNode node = json(body);
    return renderer.render(supportBot, node, attributes(node, null));
  }

  /** The request was refused with a 400 of this code, pointing at this field. */
  private static ApiError assertRefused(ThrowingCallable call, String code, String param) {
    GatewayException e = catchThrowableOfType(GatewayException.class, call);
    assertThat(e).as("refused with " + code).isNotNull();
    assertThat(e.error().status()).isEqualTo(400);
    assertThat(e.error().code()).isEqualTo(code);
    assertThat(e.error().param()).isEqualTo(param);
    return e.error();
  }

  private static List<String> contents(RenderedPrompt rendered) {
    return rendered.request().get("messages").findValuesAsText("content");
  }

  @Test
  void versionOneRendersWithTheDefaultAndItsParamsAndGoesToItsRoute() {
    RenderedPrompt rendered =
        render("{\"variables\": {\"question\": \"Where is my order?\"}, \"version\": \"v1\"}");

    assertThat(rendered.request())
        .isEqualTo(
            json(
                """
                {"model": "chat",
                 "messages": [
                   {"role": "system", "content": "You are a friendly support agent."},
                   {"role": "user", "content": "Where is my order?"}],
                 "temperature": 0.3, "max_tokens": 500}
                """));
    assertThat(rendered.version()).isEqualTo("v1");
    assertThat(rendered.route()).isEqualTo("team-a/chat");
    assertThat(rendered.template()).isEqualTo("team-a/support-bot");
  }

  @Test
  void versionTwoWithoutARouteGoesToTheRouteThatNamesTheTemplate() {
    RenderedPrompt rendered =
        render("{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v2\"}");

    assertThat(rendered.route()).isEqualTo("team-a/support");
    assertThat(rendered.request().get("model").asText()).isEqualTo("support");
    assertThat(rendered.request().get("temperature").asDouble()).isEqualTo(0.7);
    assertThat(rendered.request().has("max_tokens")).isFalse();
  }

  @Test
  void aSectionRendersWhenItsVariableIsGivenAndTheInvertedSectionOtherwise() {
    RenderedPrompt withContext =
        render(
            "{\"variables\": {\"question\": \"Hi\", \"context\": \"order 42 shipped\"},"
                + " \"version\": \"v2\"}");
    RenderedPrompt withoutContext =
        render("{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v2\"}");

    assertThat(contents(withContext).getFirst())
        .isEqualTo("You are a friendly support agent for <Acme & Co>. Context: order 42 shipped.");
    assertThat(contents(withoutContext).getFirst())
        .isEqualTo("You are a friendly support agent for <Acme & Co>. No context was given.");
  }

  @Test
  void aSectionOverAListRepeatsForEachElement() {
    RenderedPrompt rendered =
        render(
            "{\"variables\": {\"question\": \"Hi\", \"tone\": \"terse\","
                + " \"examples\": [\"a\", \"b\"]}, \"version\": \"v2\"}");

    assertThat(contents(rendered).getFirst())
        .isEqualTo(
            "You are a terse support agent for <Acme & Co>. No context was given."
                + " Example: a Example: b");
  }

  @Test
  void valuesAreNotHtmlEscaped() {
    RenderedPrompt rendered =
        render("{\"variables\": {\"question\": \"<b>Tom & Jerry</b> \\\"quoted\\\"\"}}");

    assertThat(contents(rendered).getLast()).isEqualTo("<b>Tom & Jerry</b> \"quoted\"");
  }

  @Test
  void aMissingRequiredVariableIsRefusedNamingIt() {
    ApiError error =
        assertRefused(
            () -> render("{\"variables\": {\"tone\": \"calm\"}}"),
            "missing_variable",
            "variables.question");

    assertThat(error.message()).contains("'question'").contains("team-a/support-bot");
  }

  @Test
  void aBodyWithoutVariablesMissesTheRequiredOne() {
    assertRefused(() -> render("{}"), "missing_variable", "variables.question");
  }

  @Test
  void anUndeclaredVariableIsRefusedNamingItAndTheDeclaredOnes() {
    ApiError error =
        assertRefused(
            () -> render("{\"variables\": {\"question\": \"Hi\", \"mood\": \"sad\"}}"),
            "unknown_variable",
            "variables.mood");

    assertThat(error.message())
        .contains("'mood'")
        .contains("team-a/support-bot")
        .contains("question, tone, context, examples");
  }

  @Test
  void variablesThatAreNotAnObjectAreRefused() {
    assertRefused(() -> render("{\"variables\": [\"Hi\"]}"), "invalid_variables", "variables");
  }

  @Test
  void anUnknownVersionIsRefusedNamingTheTemplateAndItsVersions() {
    ApiError error =
        assertRefused(
            () -> render("{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v3\"}"),
            "unknown_version",
            "version");

    assertThat(error.message()).contains("team-a/support-bot").contains("'v3'").contains("v1, v2");
  }

  @Test
  void theBodysParamsOverrideTheVersionsAndStreamPassesThrough() {
    RenderedPrompt rendered =
        render(
            "{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v1\", \"temperature\": 0.9,"
                + " \"stream\": true, \"stream_options\": {\"include_usage\": true},"
                + " \"user\": \"u-1\"}");

    ObjectNode request = rendered.request();
    assertThat(request.get("temperature").asDouble()).isEqualTo(0.9);
    assertThat(request.get("max_tokens").asInt()).isEqualTo(500);
    assertThat(request.get("stream").asBoolean()).isTrue();
    assertThat(request.get("stream_options")).isEqualTo(json("{\"include_usage\": true}"));
    assertThat(request.get("user").asText()).isEqualTo("u-1");
    assertThat(rendered.stream()).isTrue();
  }

  @Test
  void variablesAndVersionNeverReachTheUpstreamRequest() {
    RenderedPrompt rendered =
        render("{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v1\"}");

    assertThat(rendered.request().has("variables")).isFalse();
    assertThat(rendered.request().has("version")).isFalse();
    assertThat(rendered.stream()).isFalse();
  }

  @Test
  void theRenderAnswerAddsTheVersion() {
    RenderedPrompt rendered =
        render("{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v2\"}");

    assertThat(rendered.renderAnswer().get("version").asText()).isEqualTo("v2");
    assertThat(rendered.request().has("version")).isFalse();
  }

  @Test
  void theCallersOwnMessagesFollowTheRenderedOnes() {
    RenderedPrompt rendered =
        render(
            "{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v1\", \"messages\":"
                + " [{\"role\": \"assistant\", \"content\": \"Hello!\"},"
                + " {\"role\": \"user\", \"content\": \"My order?\"}]}");

    assertThat(contents(rendered))
        .containsExactly("You are a friendly support agent.", "Hi", "Hello!", "My order?");
  }

  @Test
  void aModelThatIsNotTheRoutesIsRefused() {
    ApiError error =
        assertRefused(
            () ->
                render(
                    "{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v1\","
                        + " \"model\": \"gpt-4o\"}"),
            "model_not_allowed",
            "model");

    assertThat(error.message()).contains("team-a/chat");
  }

  @Test
  void theRoutesOwnModelNameMayBeRepeated() {
    RenderedPrompt rendered =
        render("{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v1\", \"model\": \"chat\"}");

    assertThat(rendered.request().get("model").asText()).isEqualTo("chat");
  }

  @Test
  void aTemplateWithoutAnyRouteTakesTheBodysModel() {
    CompiledPrompt routeless = prompts.require("team-a", "routeless");
    ObjectNode body = json("{\"model\": \"gpt-4o-mini\"}");

    RenderedPrompt rendered = renderer.render(routeless, body, attributes(body, null));

    assertThat(rendered.route()).isNull();
    assertThat(rendered.request().get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(contents(rendered)).containsExactly("Tell me about cats.");
  }

  @Test
  void aTemplateWithoutAnyRouteNeedsTheBodysModel() {
    CompiledPrompt routeless = prompts.require("team-a", "routeless");
    ObjectNode body = json("{}");

    assertRefused(
        () -> renderer.render(routeless, body, attributes(body, null)), "missing_model", "model");
  }

  @Test
  void anExplicitVersionOverridesTheRolloutForAStickyCaller() {
    for (int user = 0; user < 50; user++) {
      ObjectNode body = json("{\"variables\": {\"question\": \"Hi\"}, \"version\": \"v2\"}");
      RenderedPrompt rendered =
          renderer.render(supportBot, body, attributes(body, "{\"user_id\": \"u" + user + "\"}"));
      assertThat(rendered.version()).isEqualTo("v2");
    }
  }

  @Test
  void withoutAStickyValueVersionsAreDrawnByWeight() {
    int v2 = 0;
    for (int i = 0; i < 10_000; i++) {
      if (render("{\"variables\": {\"question\": \"Hi\"}}").version().equals("v2")) {
        v2++;
      }
    }
    assertThat(v2 / 10_000.0).isBetween(0.085, 0.115);
  }

  @Test
  void aTemplateStickyOnTheBodysUserKeepsEachUserOnOneVersion() {
    CompiledPrompts byUser =
        CompiledPrompts.compile(
            PromptFixtures.snapshot(
                PromptFixtures.routes(), PromptFixtures.supportBot(50, 50, "params.user")));
    CompiledPrompt prompt = byUser.require("team-a", "support-bot");
    for (int user = 0; user < 20; user++) {
      String body = "{\"variables\": {\"question\": \"Hi\"}, \"user\": \"user-" + user + "\"}";
      String first = null;
      for (int i = 0; i < 5; i++) {
        ObjectNode node = json(body);
        String version = renderer.render(prompt, node, attributes(node, null)).version();
        first = first == null ? version : first;
        assertThat(version).isEqualTo(first);
      }
    }
  }

  @Test
  void theTemplateIsLookedUpInTheCallersNamespaceOnly() {
    GatewayException e =
        catchThrowableOfType(
            GatewayException.class, () -> prompts.require("team-b", "support-bot"));

    assertThat(e.error().status()).isEqualTo(404);
    assertThat(e.error().code()).isEqualTo("prompt_template_not_found");
    assertThat(e.error().message()).contains("support-bot").contains("team-b");
    assertThat(supportBot.id()).isEqualTo(new ResourceId("team-a", "support-bot", 1));
  }
}
