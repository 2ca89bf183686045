package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.provider.UpstreamRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers a provider needs from its own clients, passed from the caller to the upstream (per
 * API.md): {@code anthropic-beta} and {@code anthropic-version} to Anthropic; {@code openai-beta}
 * to OpenAI and Azure OpenAI, and {@code openai-organization} / {@code openai-project} to OpenAI
 * only (they select an account's organization and project, which Azure does not have). Only these
 * names pass: the caller's credentials never do, nor any other header. Cost: a few map lookups per
 * request.
 */
final class ProviderHeaders {
  private static final Map<String, List<String>> BY_PROVIDER =
      Map.of(
          "anthropic", List.of("anthropic-beta", "anthropic-version"),
          "openai", List.of("openai-beta", "openai-organization", "openai-project"),
          "azure-openai", List.of("openai-beta"));

  private ProviderHeaders() {}

  /**
   * The request with the caller's provider headers added (replacing the gateway's default where
   * both set one, e.g. {@code anthropic-version}).
   *
   * @param callerHeaders the caller's headers, names in lower case, credentials already removed
   */
  static UpstreamRequest passThrough(
      String providerId, Map<String, String> callerHeaders, UpstreamRequest request) {
    List<String> names = BY_PROVIDER.get(providerId);
    if (names == null) {
      return request;
    }
    Map<String, String> merged = null;
    for (String name : names) {
      String value = callerHeaders.get(name);
      if (value == null || value.isBlank()) {
        continue;
      }
      if (merged == null) {
        merged = new LinkedHashMap<>(request.headers());
      }
      merged.put(name, value);
    }
    return merged == null
        ? request
        : new UpstreamRequest(
            request.method(), request.uri(), merged, request.body(), request.stream());
  }
}
