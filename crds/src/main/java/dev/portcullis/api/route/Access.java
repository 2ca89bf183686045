package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Which other namespaces may use a route. */
@JsonClassDescription("Which other namespaces may use a route.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Access {

  @JsonPropertyDescription(
      "Namespaces whose VirtualKeys may use this route besides its own; \"*\" admits all.")
  @Size(max = 256)
  private List<@Pattern(ValidationPatterns.NAMESPACE_OR_ALL) String> namespaces;

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }
}
