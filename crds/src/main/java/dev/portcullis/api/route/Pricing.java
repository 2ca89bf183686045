package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.generator.annotation.Pattern;

/** USD prices per million tokens, as decimal strings. */
@JsonClassDescription("USD prices per million tokens, as decimal strings.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Pricing {

  @JsonPropertyDescription("USD per million input tokens, e.g. \"2.50\".")
  @Pattern(ValidationPatterns.MONEY)
  private String inputPerMTok;

  @JsonPropertyDescription("USD per million output tokens, e.g. \"10.00\".")
  @Pattern(ValidationPatterns.MONEY)
  private String outputPerMTok;

  @JsonPropertyDescription(
      "USD per million cached input tokens, e.g. \"1.25\". Absent: the input price.")
  @Pattern(ValidationPatterns.MONEY)
  private String cachedInputPerMTok;

  public String getInputPerMTok() {
    return inputPerMTok;
  }

  public void setInputPerMTok(String inputPerMTok) {
    this.inputPerMTok = inputPerMTok;
  }

  public String getOutputPerMTok() {
    return outputPerMTok;
  }

  public void setOutputPerMTok(String outputPerMTok) {
    this.outputPerMTok = outputPerMTok;
  }

  public String getCachedInputPerMTok() {
    return cachedInputPerMTok;
  }

  public void setCachedInputPerMTok(String cachedInputPerMTok) {
    this.cachedInputPerMTok = cachedInputPerMTok;
  }
}
