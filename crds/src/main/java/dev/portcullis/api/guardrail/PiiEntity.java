package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A kind of personal or secret data the pii check finds. */
public enum PiiEntity {
  /** E-mail addresses. */
  @JsonProperty("Email")
  EMAIL("Email"),
  /** Phone numbers. */
  @JsonProperty("Phone")
  PHONE("Phone"),
  /** Payment card numbers (Luhn-checked). */
  @JsonProperty("CreditCard")
  CREDIT_CARD("CreditCard"),
  /** US social security numbers. */
  @JsonProperty("SSN")
  SSN("SSN"),
  /** International bank account numbers (checksum-checked). */
  @JsonProperty("IBAN")
  IBAN("IBAN"),
  /** IPv4 and IPv6 addresses. */
  @JsonProperty("IPAddress")
  IP_ADDRESS("IPAddress"),
  /** API keys, tokens and private keys. */
  @JsonProperty("Secret")
  SECRET("Secret");

  private final String wireName;

  PiiEntity(String wireName) {
    this.wireName = wireName;
  }

  /** The spelling used in resources, e.g. in YAML. */
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }

  /** The constant spelled {@code wireName} in resources, if any. */
  public static java.util.Optional<PiiEntity> fromWireName(String wireName) {
    for (PiiEntity value : values()) {
      if (value.wireName.equals(wireName)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
