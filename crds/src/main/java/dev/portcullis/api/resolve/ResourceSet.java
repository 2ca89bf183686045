package dev.portcullis.api.resolve;

import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

/**
 * Everything the resolver reads: the Portcullis resources of all watched namespaces and the Secrets
 * they may refer to. The lists are copied; null lists count as empty. The resource objects
 * themselves are not copied, and the resolver does not change them.
 *
 * <p>Only a Secret's {@code data} is read, never {@code stringData}: a real API server folds {@code
 * stringData} into {@code data}, and so does the standalone manifest reader before it builds a set.
 */
public record ResourceSet(
    List<LLMRoute> routes,
    List<VirtualKey> keys,
    List<GuardrailPolicy> policies,
    List<PromptTemplate> templates,
    List<Secret> secrets) {

  public ResourceSet {
    routes = copy(routes);
    keys = copy(keys);
    policies = copy(policies);
    templates = copy(templates);
    secrets = copy(secrets);
  }

  public static ResourceSet empty() {
    return new ResourceSet(List.of(), List.of(), List.of(), List.of(), List.of());
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  /** Counts only: the resources' own toString would print Secret data. */
  @Override
  public String toString() {
    return "ResourceSet[routes="
        + routes.size()
        + ", keys="
        + keys.size()
        + ", policies="
        + policies.size()
        + ", templates="
        + templates.size()
        + ", secrets="
        + secrets.size()
        + "]";
  }
}
