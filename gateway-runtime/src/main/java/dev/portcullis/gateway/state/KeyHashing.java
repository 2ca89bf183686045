package dev.portcullis.gateway.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a presented key, the only form in which gateways know keys. */
public final class KeyHashing {
  private static final HexFormat HEX = HexFormat.of();

  private KeyHashing() {}

  public static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  public static String sha256Hex(String key) {
    return HEX.formatHex(sha256(key));
  }

  static byte[] fromHex(String hex) {
    return HEX.parseHex(hex);
  }
}
