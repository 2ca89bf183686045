package dev.portcullis.api;

/**
 * Names one resource: its kind ({@code LLMRoute}, {@code VirtualKey}, {@code GuardrailPolicy},
 * {@code PromptTemplate}, {@code Secret}), namespace and name.
 */
public record ResourceRef(String kind, String namespace, String name) {
  @Override
  public String toString() {
    return kind + " " + namespace + "/" + name;
  }
}
