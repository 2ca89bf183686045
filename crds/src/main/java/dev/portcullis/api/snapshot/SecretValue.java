package dev.portcullis.api.snapshot;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A provider credential or other secret carried in a snapshot. Its {@link #toString()} never shows
 * the value; only {@link #reveal()} does, at the single place the value is put on the wire to an
 * upstream. JSON serialization writes the plain value because the snapshot travels to gateways over
 * an authenticated channel; config dumps use the redacted summary instead.
 */
public final class SecretValue {
  private final String value;

  private SecretValue(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  @JsonCreator
  public static SecretValue of(String value) {
    return new SecretValue(value);
  }

  @JsonValue
  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretValue other
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "SecretValue[redacted]";
  }
}
