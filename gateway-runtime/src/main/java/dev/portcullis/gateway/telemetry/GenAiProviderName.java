package dev.portcullis.gateway.telemetry;

/**
 * The {@code gen_ai.provider.name} of a target's provider: the conventions' well-known value where
 * there is one ({@code azure.ai.openai}, {@code gcp.gemini}, {@code aws.bedrock}), else the
 * provider id of the LLMRoute ({@code openai-compatible}, {@code echo}).
 */
final class GenAiProviderName {
  private GenAiProviderName() {}

  static String of(String providerId) {
    if (providerId == null) {
      return Labels.NONE;
    }
    return switch (providerId) {
      case "azure-openai" -> "azure.ai.openai";
      case "gemini" -> "gcp.gemini";
      case "bedrock" -> "aws.bedrock";
      default -> providerId;
    };
  }
}
