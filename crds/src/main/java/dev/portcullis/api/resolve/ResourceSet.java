package dev.portcullis.api.resolve;

import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

/** PLACEHOLDER for the resolver branch's type of the same name; replaced by it at merge. */
public record ResourceSet(
    List<LLMRoute> routes,
    List<VirtualKey> keys,
    List<GuardrailPolicy> policies,
    List<PromptTemplate> templates,
    List<Secret> secrets) {}
