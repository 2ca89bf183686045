package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Ordered checks on LLM input and output, each with an action: Deny, Redact or Flag. */
@JsonClassDescription("GuardrailPolicy: ordered checks an LLMRoute applies to input and/or output.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@Group(GuardrailPolicy.GROUP)
@Version(GuardrailPolicy.VERSION)
@Kind("GuardrailPolicy")
@Plural("guardrailpolicies")
@Singular("guardrailpolicy")
@ShortNames("gp")
@Categories("portcullis")
@AdditionalPrinterColumn(
    name = "Checks",
    jsonPath = ".status.checks",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Check names in order")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Whether the policy is valid and applied by the fleet")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class GuardrailPolicy extends CustomResource<GuardrailPolicySpec, GuardrailPolicyStatus>
    implements Namespaced {

  public static final String GROUP = "portcullis.dev";
  public static final String VERSION = "v1alpha1";

  // Overridden only to describe spec and status in the CRD schema (kubectl explain).
  @Override
  @JsonPropertyDescription("The desired state of the GuardrailPolicy.")
  public GuardrailPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "The state of the GuardrailPolicy as observed by the Portcullis operator.")
  public GuardrailPolicyStatus getStatus() {
    return super.getStatus();
  }
}
