package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A personal-data check. */
@JsonClassDescription("A personal-data check.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PiiCheck {

  @JsonPropertyDescription(
      "Which kinds to find: Email, Phone, CreditCard, SSN, IBAN, IPAddress, Secret. Absent: all.")
  @Size(max = 16)
  private List<PiiEntity> entities;

  public List<PiiEntity> getEntities() {
    return entities;
  }

  public void setEntities(List<PiiEntity> entities) {
    this.entities = entities;
  }
}
