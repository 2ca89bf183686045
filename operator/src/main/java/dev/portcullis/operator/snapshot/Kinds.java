package dev.portcullis.operator.snapshot;

import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** The kind names the resolver uses in {@link ResourceRef}s. */
public final class Kinds {
  public static final String ROUTE = HasMetadata.getKind(LLMRoute.class);
  public static final String KEY = HasMetadata.getKind(VirtualKey.class);
  public static final String POLICY = HasMetadata.getKind(GuardrailPolicy.class);
  public static final String TEMPLATE = HasMetadata.getKind(PromptTemplate.class);

  private Kinds() {}

  public static ResourceRef refOf(HasMetadata resource) {
    String namespace = resource.getMetadata().getNamespace();
    return new ResourceRef(
        resource.getKind() != null ? resource.getKind() : HasMetadata.getKind(resource.getClass()),
        namespace == null || namespace.isEmpty() ? "default" : namespace,
        resource.getMetadata().getName());
  }
}
