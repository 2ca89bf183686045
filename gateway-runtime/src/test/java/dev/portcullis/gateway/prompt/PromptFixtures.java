package dev.portcullis.gateway.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.JsonTree;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.PromptTemplateConfig.Message;
import dev.portcullis.api.snapshot.PromptTemplateConfig.RolloutEntry;
import dev.portcullis.api.snapshot.PromptTemplateConfig.Variable;
import dev.portcullis.api.snapshot.PromptTemplateConfig.Version;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig;
import dev.portcullis.api.snapshot.RouteConfig.FallbackOn;
import dev.portcullis.api.snapshot.RouteConfig.RetryConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.routing.RequestAttributes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Snapshots with prompt templates, built in code, and request bodies. The {@code support-bot}
 * template of namespace {@code team-a} is the one of {@code examples/prompt-ab}, with a section, an
 * inverted section and a list section added to v2.
 */
final class PromptFixtures {
  static final String V1_SYSTEM = "You are a {{tone}} support agent.";
  static final String V2_SYSTEM =
      "You are a {{tone}} support agent for <Acme & Co>."
          + "{{#context}} Context: {{context}}.{{/context}}"
          + "{{^context}} No context was given.{{/context}}"
          + "{{#examples}} Example: {{.}}{{/examples}}";

  private PromptFixtures() {}

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) Jackson.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code support-bot} template with a {@code v1}/{@code v2} rollout of the given weights. */
  static PromptTemplateConfig supportBot(int v1Weight, int v2Weight, String stickyOn) {
    return new PromptTemplateConfig(
        new ResourceId("team-a", "support-bot", 1),
        List.of(
            new Variable("question", true, null),
            new Variable("tone", false, "friendly"),
            new Variable("context", false, null),
            new Variable("examples", false, null)),
        List.of(
            new Version(
                "v1",
                List.of(new Message("system", V1_SYSTEM), new Message("user", "{{question}}")),
                JsonTree.of(json("{\"temperature\": 0.3, \"max_tokens\": 500}")),
                "team-a/chat"),
            new Version(
                "v2",
                List.of(new Message("system", V2_SYSTEM), new Message("user", "{{question}}")),
                JsonTree.of(json("{\"temperature\": 0.7}")),
                null)),
        List.of(new RolloutEntry("v2", v2Weight), new RolloutEntry("v1", v1Weight)),
        stickyOn);
  }

  /** A template without any route, in namespace {@code team-a}. */
  static PromptTemplateConfig routeless() {
    return new PromptTemplateConfig(
        new ResourceId("team-a", "routeless", 1),
        List.of(new Variable("topic", false, "cats")),
        List.of(
            new Version(
                "v1",
                List.of(new Message("user", "Tell me about {{topic}}.")),
                JsonTree.EMPTY,
                null)),
        List.of(new RolloutEntry("v1", 100)),
        null);
  }

  static RouteConfig route(String namespace, String name, String model, String promptTemplate) {
    return new RouteConfig(
        new ResourceId(namespace, name, 1),
        model,
        List.of(),
        new StrategyConfig(
            StrategyConfig.Mode.SINGLE,
            new FallbackOn(Set.of(429, 500, 502, 503, 504), true, true),
            List.of(),
            null,
            null,
            null),
        List.of(),
        new RetryConfig(0, Duration.ofMillis(100), Duration.ofSeconds(1), Set.of(), true, null),
        null,
        null,
        new CacheConfig(CacheConfig.CacheMode.DISABLED, null, 0),
        List.of(),
        List.of(),
        promptTemplate,
        Set.of(),
        false);
  }

  /**
   * Routes {@code team-a/chat} (model {@code chat}, v1's route) and {@code team-a/support} (model
   * {@code support}, which names support-bot as its default template, so v2 goes there).
   */
  static List<RouteConfig> routes() {
    return List.of(
        route("team-a", "chat", "chat", null),
        route("team-a", "support", "support", "team-a/support-bot"));
  }

  static Snapshot snapshot(List<RouteConfig> routes, PromptTemplateConfig... templates) {
    return new Snapshot(
        Snapshot.SCHEMA_VERSION,
        "test",
        routes,
        List.of(),
        List.of(),
        new ArrayList<>(List.of(templates)));
  }

  static Snapshot supportBotSnapshot(int v1Weight, int v2Weight) {
    return snapshot(routes(), supportBot(v1Weight, v2Weight, "metadata.user_id"), routeless());
  }

  /** The attributes of a request with {@code body} and, when not null, this metadata header. */
  static RequestAttributes attributes(JsonNode body, String metadataJson) {
    Map<String, String> headers = new HashMap<>();
    if (metadataJson != null) {
      headers.put(RequestAttributes.METADATA_HEADER, metadataJson);
    }
    return new RequestAttributes(headers, () -> body);
  }
}
