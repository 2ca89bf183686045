package dev.portcullis.api.prompt;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The author of a template message. */
public enum MessageRole {
  /** System instructions. */
  @JsonProperty("system")
  SYSTEM("system"),
  /** Developer instructions (OpenAI's successor of system). */
  @JsonProperty("developer")
  DEVELOPER("developer"),
  /** The user's turn. */
  @JsonProperty("user")
  USER("user"),
  /** A model turn, e.g. a few-shot example. */
  @JsonProperty("assistant")
  ASSISTANT("assistant");

  private final String wireName;

  MessageRole(String wireName) {
    this.wireName = wireName;
  }

  /** The spelling used in resources, e.g. in YAML. */
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }

  /** The constant spelled {@code wireName} in resources, if any. */
  public static java.util.Optional<MessageRole> fromWireName(String wireName) {
    for (MessageRole value : values()) {
      if (value.wireName.equals(wireName)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
