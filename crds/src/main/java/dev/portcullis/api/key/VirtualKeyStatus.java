package dev.portcullis.api.key;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ResourceStatus;
import io.fabric8.generator.annotation.Size;

/** The observed state of a VirtualKey. */
@JsonClassDescription("The observed state of a VirtualKey.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualKeyStatus extends ResourceStatus {

  @JsonPropertyDescription(
      "Public id of the current key (e.g. vk_9f2c1a), shown in logs and metrics; never the key itself.")
  @Size(max = 64)
  private String keyId;

  @JsonPropertyDescription("When the current key was minted (RFC 3339).")
  private String rotatedAt;

  @JsonPropertyDescription("Until when the previous key still works after a rotation (RFC 3339).")
  private String previousKeyValidUntil;

  @JsonPropertyDescription(
      "Spend and traffic in the current budget period, rolled up from the gateways.")
  private KeyUsage usage;

  public String getKeyId() {
    return keyId;
  }

  public void setKeyId(String keyId) {
    this.keyId = keyId;
  }

  public String getRotatedAt() {
    return rotatedAt;
  }

  public void setRotatedAt(String rotatedAt) {
    this.rotatedAt = rotatedAt;
  }

  public String getPreviousKeyValidUntil() {
    return previousKeyValidUntil;
  }

  public void setPreviousKeyValidUntil(String previousKeyValidUntil) {
    this.previousKeyValidUntil = previousKeyValidUntil;
  }

  public KeyUsage getUsage() {
    return usage;
  }

  public void setUsage(KeyUsage usage) {
    this.usage = usage;
  }
}
