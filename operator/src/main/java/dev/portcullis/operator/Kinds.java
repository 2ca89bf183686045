package dev.portcullis.operator;

import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** The kind names the resolver uses in {@link ResourceRef}s. */
final class Kinds {
  static final String ROUTE = HasMetadata.getKind(LLMRoute.class);
  static final String KEY = HasMetadata.getKind(VirtualKey.class);
  static final String POLICY = HasMetadata.getKind(GuardrailPolicy.class);
  static final String TEMPLATE = HasMetadata.getKind(PromptTemplate.class);

  private Kinds() {}

  static ResourceRef refOf(HasMetadata resource) {
    String namespace = resource.getMetadata().getNamespace();
    return new ResourceRef(
        resource.getKind() != null ? resource.getKind() : HasMetadata.getKind(resource.getClass()),
        namespace == null || namespace.isEmpty() ? "default" : namespace,
        resource.getMetadata().getName());
  }
}
