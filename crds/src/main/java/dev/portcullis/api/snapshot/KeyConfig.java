package dev.portcullis.api.snapshot;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A resolved {@code VirtualKey}. Holds only hashes of the key material, never the key.
 *
 * @param keyId public id shown in status and logs (e.g. {@code vk_9f2c1a})
 * @param hashes current key first; a rotated-out key stays with its {@code validUntil}
 * @param routes qualified names of the routes this key may use; empty = every route visible to its
 *     namespace
 * @param limits never null; fields null = unlimited
 * @param budget null = no budget
 * @param expiresAt null = never
 * @param failOpen onStoreUnavailable == FailOpen
 * @param providerCredentials bring-your-own credentials by provider id
 * @param metadata attribution labels
 */
public record KeyConfig(
    ResourceId id,
    String keyId,
    List<KeyHash> hashes,
    List<String> routes,
    Limits limits,
    Budget budget,
    Instant expiresAt,
    boolean failOpen,
    Map<String, SecretValue> providerCredentials,
    Map<String, String> metadata,
    boolean disabled) {

  public KeyConfig {
    hashes = List.copyOf(hashes);
    routes = List.copyOf(routes);
    providerCredentials = Map.copyOf(providerCredentials);
    metadata = Map.copyOf(metadata);
  }

  /**
   * @param sha256Hex lower-case hex SHA-256 of the UTF-8 key
   * @param validUntil null for the current key; the end of the grace period for a previous key
   */
  public record KeyHash(String sha256Hex, Instant validUntil) {}

  public record Limits(Integer requestsPerMinute, Integer tokensPerMinute, Integer maxConcurrent) {
    public static final Limits NONE = new Limits(null, null, null);
  }

  public record Budget(BigDecimal amountUsd, Period period, Action action) {
    public enum Period {
      DAILY,
      WEEKLY,
      MONTHLY,
      TOTAL
    }

    public enum Action {
      BLOCK,
      WARN
    }
  }
}
