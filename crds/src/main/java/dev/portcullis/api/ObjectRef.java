package dev.portcullis.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A reference to another Portcullis resource by name; the namespace defaults to the referring
 * resource's own.
 */
@JsonClassDescription(
    "A reference to another Portcullis resource by name; the namespace defaults to the referring resource's own.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectRef {

  @JsonPropertyDescription("Name of the referenced resource.")
  @Required
  @Pattern(ValidationPatterns.DNS_SUBDOMAIN)
  @Size(min = 1, max = 253)
  private String name;

  @JsonPropertyDescription(
      "Namespace of the referenced resource; absent means the namespace of the referring resource. The referenced resource must admit the referring namespace where its kind has access rules.")
  @Pattern(ValidationPatterns.DNS_LABEL)
  @Size(min = 1, max = 63)
  private String namespace;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public ObjectRef() {}

  public ObjectRef(String name) {
    this.name = name;
  }

  public ObjectRef(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }

  /** {@code namespace/name}, with {@code defaultNamespace} when this reference names none. */
  public String qualifiedName(String defaultNamespace) {
    return (namespace == null ? defaultNamespace : namespace) + "/" + name;
  }

  @Override
  public String toString() {
    return namespace == null ? name : namespace + "/" + name;
  }
}
