package dev.portcullis.gateway.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.template.CompiledTemplate;
import java.util.List;
import java.util.function.Function;

/**
 * One version of a template with its messages compiled. Immutable: the params are copied for each
 * request that uses them.
 */
final class CompiledVersion {
  /** One message: its role and its compiled content. */
  record Message(String role, CompiledTemplate content) {}

  private final String name;
  private final List<Message> messages;
  private final ObjectNode params;
  private final String route;

  private CompiledVersion(String name, List<Message> messages, ObjectNode params, String route) {
    this.name = name;
    this.messages = List.copyOf(messages);
    this.params = params;
    this.route = route;
  }

  /**
   * Compiles every message of {@code version}.
   *
   * @throws dev.portcullis.api.template.TemplateSyntaxException if a message does not compile
   */
  static CompiledVersion compile(
      PromptTemplateConfig.Version version, Function<String, CompiledTemplate> compiler) {
    List<Message> messages =
        version.messages().stream()
            .map(m -> new Message(m.role(), compiler.apply(m.content())))
            .toList();
    JsonNode params = version.params().copy();
    ObjectNode object =
        params.isObject() ? (ObjectNode) params : JsonNodeFactory.instance.objectNode();
    return new CompiledVersion(version.name(), messages, object, version.route());
  }

  String name() {
    return name;
  }

  List<Message> messages() {
    return messages;
  }

  /** A private copy of the version's params that the caller may change. */
  ObjectNode paramsCopy() {
    return params.deepCopy();
  }

  /** The qualified name of the route this version names, or null. */
  String route() {
    return route;
  }
}
