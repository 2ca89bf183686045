package dev.portcullis.api.prompt;

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

/**
 * Named, versioned prompt templates with declared variables and a weighted rollout between
 * versions.
 */
@JsonClassDescription(
    "PromptTemplate: named, versioned prompt messages with variables, and an A/B rollout between versions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@Group(PromptTemplate.GROUP)
@Version(PromptTemplate.VERSION)
@Kind("PromptTemplate")
@Plural("prompttemplates")
@Singular("prompttemplate")
@ShortNames("pt")
@Categories("portcullis")
@AdditionalPrinterColumn(
    name = "Rollout",
    jsonPath = ".status.rollout",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "How traffic is split between versions")
@AdditionalPrinterColumn(
    name = "Requests",
    jsonPath = ".status.requests",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Requests served per version, summed over the fleet")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Whether the template is valid and applied by the fleet")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class PromptTemplate extends CustomResource<PromptTemplateSpec, PromptTemplateStatus>
    implements Namespaced {

  public static final String GROUP = "portcullis.dev";
  public static final String VERSION = "v1alpha1";

  // Overridden only to describe spec and status in the CRD schema (kubectl explain).
  @Override
  @JsonPropertyDescription("The desired state of the PromptTemplate.")
  public PromptTemplateSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "The state of the PromptTemplate as observed by the Portcullis operator.")
  public PromptTemplateStatus getStatus() {
    return super.getStatus();
  }
}
