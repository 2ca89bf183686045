package dev.portcullis.api.snapshot;

import java.util.List;

/**
 * A resolved {@code PromptTemplate}.
 *
 * @param stickyOn request attribute that keeps a caller on one version (e.g. {@code
 *     metadata.user_id}), or null
 */
public record PromptTemplateConfig(
    ResourceId id,
    List<Variable> variables,
    List<Version> versions,
    List<RolloutEntry> rollout,
    String stickyOn) {

  public PromptTemplateConfig {
    variables = List.copyOf(variables);
    versions = List.copyOf(versions);
    rollout = List.copyOf(rollout);
  }

  public record Variable(String name, boolean required, String defaultValue) {}

  /**
   * @param route qualified name of the route this version uses, or null
   */
  public record Version(String name, List<Message> messages, JsonTree params, String route) {
    public Version {
      messages = List.copyOf(messages);
    }
  }

  public record Message(String role, String content) {}

  public record RolloutEntry(String version, int weight) {}
}
