package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.Durations;
import io.fabric8.generator.annotation.Pattern;

/** Time limits for one attempt against a target. */
@JsonClassDescription("Time limits for one attempt against a target.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Timeouts {

  @JsonPropertyDescription("Limit for opening the connection, e.g. 2s.")
  @Pattern(Durations.PATTERN)
  private String connect;

  @JsonPropertyDescription(
      "Limit until the first response byte (for streams: the first chunk), e.g. 20s.")
  @Pattern(Durations.PATTERN)
  private String firstByte;

  @JsonPropertyDescription("Limit for the whole attempt, e.g. 120s.")
  @Pattern(Durations.PATTERN)
  private String total;

  public String getConnect() {
    return connect;
  }

  public void setConnect(String connect) {
    this.connect = connect;
  }

  public String getFirstByte() {
    return firstByte;
  }

  public void setFirstByte(String firstByte) {
    this.firstByte = firstByte;
  }

  public String getTotal() {
    return total;
  }

  public void setTotal(String total) {
    this.total = total;
  }
}
