package dev.portcullis.api.snapshot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a virtual key: the only form in which snapshots and gateways know keys. The resolver
 * hashes the key it reads from the key's Secret and gateways hash the key a client presents, both
 * here, so the two can never disagree.
 */
public final class KeyHashing {
  private static final HexFormat HEX = HexFormat.of();

  private KeyHashing() {}

  /** Cloned per use: cheaper than looking the algorithm up among the providers every time. */
  private static final MessageDigest PROTOTYPE = newDigest();

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  public static byte[] sha256(String key) {
    MessageDigest digest;
    try {
      digest = (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      digest = newDigest();
    }
    return digest.digest(key.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(String key) {
    return HEX.formatHex(sha256(key));
  }

  public static byte[] fromHex(String hex) {
    return HEX.parseHex(hex);
  }
}
