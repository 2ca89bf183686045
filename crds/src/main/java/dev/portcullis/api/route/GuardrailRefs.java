package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ObjectRef;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** GuardrailPolicies a route applies, in order. */
@JsonClassDescription("GuardrailPolicies a route applies, in order.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuardrailRefs {

  @JsonPropertyDescription("Policies run on requests before they go upstream.")
  @Size(max = 16)
  private List<ObjectRef> input;

  @JsonPropertyDescription("Policies run on responses (streams too) before they reach the client.")
  @Size(max = 16)
  private List<ObjectRef> output;

  public List<ObjectRef> getInput() {
    return input;
  }

  public void setInput(List<ObjectRef> input) {
    this.input = input;
  }

  public List<ObjectRef> getOutput() {
    return output;
  }

  public void setOutput(List<ObjectRef> output) {
    this.output = output;
  }
}
