package dev.portcullis.api.validation;

import dev.portcullis.api.Problem;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

/**
 * The business rules of the Portcullis resources, beyond what a CRD's OpenAPI schema can say:
 * values that must parse (durations, money, timestamps, URLs, regular expressions, JSON Schemas,
 * condition matchers, templates), well-formed references, and the CRDs' cross-field CEL rules again
 * in Java, because standalone mode has no API server to evaluate them.
 *
 * <p>The checks look at one resource alone; whether references resolve is the resolver's business.
 * Every problem names the field ({@code spec.targets[1].timeouts.firstByte}) and says what to do;
 * all problems are returned, in field order of the resource. Secret values never appear in them.
 *
 * <p>This class checks the metadata every kind shares and hands the spec to the validator of its
 * kind: {@link RouteValidator}, {@link KeyValidator}, {@link PolicyValidator}, {@link
 * TemplateValidator}, {@link SecretValidator}.
 */
public final class ResourceValidator {
  private ResourceValidator() {}

  /** All problems of {@code resource}; empty when it is valid. */
  public static List<Problem> validate(HasMetadata resource) {
    FieldChecker checker = new FieldChecker();
    if (resource == null) {
      checker.add("", "no resource");
      return checker.problems();
    }
    checkMetadata(checker, resource.getMetadata());
    switch (resource) {
      case LLMRoute route -> RouteValidator.check(checker, route.getSpec());
      case VirtualKey key -> KeyValidator.check(checker, key.getSpec());
      case GuardrailPolicy policy -> PolicyValidator.check(checker, policy.getSpec());
      case PromptTemplate template -> TemplateValidator.check(checker, template.getSpec());
      case Secret secret -> SecretValidator.check(checker, secret);
      default ->
          checker.add(
              "kind",
              "'"
                  + resource.getKind()
                  + "' is not a kind Portcullis reads: use LLMRoute, VirtualKey, GuardrailPolicy,"
                  + " PromptTemplate or Secret");
    }
    return checker.problems();
  }

  private static void checkMetadata(FieldChecker checker, ObjectMeta metadata) {
    if (metadata == null) {
      checker.add("metadata.name", "required field is missing");
      return;
    }
    if (checker.required("metadata.name", metadata.getName())) {
      checker.dnsSubdomain("metadata.name", metadata.getName());
    }
    checker.dnsLabel("metadata.namespace", metadata.getNamespace());
  }
}
