package dev.portcullis.gateway.state;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.KeyHashing;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;

/**
 * Virtual-key authentication: the presented key is hashed, looked up by hash and compared in
 * constant time; expiry, grace periods of rotated keys and {@code disabled} are checked.
 */
public final class Authenticator {
  private final Clock clock;

  public Authenticator(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param presented the key from {@code Authorization: Bearer} or {@code x-api-key}, or null
   * @throws GatewayException 401 when the key is missing, unknown, expired or disabled
   */
  public KeyConfig authenticate(GatewayState state, String presented) {
    if (presented == null || presented.isBlank()) {
      throw unauthenticated(
          "Missing API key: send your Portcullis virtual key as 'Authorization: Bearer <key>' or"
              + " 'x-api-key: <key>'.");
    }
    byte[] hash = KeyHashing.sha256(presented.strip());
    GatewayState.KeyEntry entry =
        state.keyByHash(java.util.HexFormat.of().formatHex(hash)).orElse(null);
    // The map lookup is on the hash, so its timing says nothing about the key; the explicit
    // constant-time comparison guards against any future index that is not exact-match.
    if (entry == null || !MessageDigest.isEqual(entry.hash(), hash)) {
      throw unauthenticated("Invalid API key: this virtual key is not known to the gateway.");
    }
    KeyConfig key = entry.key();
    Instant now = clock.instant();
    if (entry.validUntil() != null && now.isAfter(entry.validUntil())) {
      throw unauthenticated(
          "This virtual key was rotated and its grace period has ended; read the new key from"
              + " the key's Secret.");
    }
    if (key.disabled()) {
      throw unauthenticated(
          "Virtual key " + key.id().qualifiedName() + " (" + key.keyId() + ") is disabled.");
    }
    if (key.expiresAt() != null && now.isAfter(key.expiresAt())) {
      throw unauthenticated(
          "Virtual key "
              + key.id().qualifiedName()
              + " ("
              + key.keyId()
              + ") expired at "
              + key.expiresAt()
              + ".");
    }
    return key;
  }

  private static GatewayException unauthenticated(String message) {
    return new GatewayException(ErrorKind.UNAUTHENTICATED, "invalid_api_key", message);
  }
}
