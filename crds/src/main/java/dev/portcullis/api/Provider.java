package dev.portcullis.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An upstream provider a route target speaks to, spelled as in resources. */
public enum Provider {
  /** OpenAI's API (api.openai.com). */
  @JsonProperty("openai")
  OPENAI("openai"),
  /** Azure OpenAI Service deployments. */
  @JsonProperty("azure-openai")
  AZURE_OPENAI("azure-openai"),
  /** Anthropic's Messages API. */
  @JsonProperty("anthropic")
  ANTHROPIC("anthropic"),
  /** Google Gemini API. */
  @JsonProperty("gemini")
  GEMINI("gemini"),
  /** Any server speaking the OpenAI API at a given base URL (vLLM, Ollama, ...). */
  @JsonProperty("openai-compatible")
  OPENAI_COMPATIBLE("openai-compatible"),
  /** Amazon Bedrock. */
  @JsonProperty("bedrock")
  BEDROCK("bedrock"),
  /** A built-in upstream that answers with the request, for tests and demos. */
  @JsonProperty("echo")
  ECHO("echo");

  private final String wireName;

  Provider(String wireName) {
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
  public static java.util.Optional<Provider> fromWireName(String wireName) {
    for (Provider value : values()) {
      if (value.wireName.equals(wireName)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
