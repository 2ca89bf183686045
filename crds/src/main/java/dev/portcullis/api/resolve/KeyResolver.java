package dev.portcullis.api.resolve;

import dev.portcullis.api.key.BudgetAction;
import dev.portcullis.api.key.KeyLimits;
import dev.portcullis.api.key.ProviderCredential;
import dev.portcullis.api.key.StoreUnavailableMode;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.key.VirtualKeySpec;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.KeyConfig.KeyHash;
import dev.portcullis.api.snapshot.KeyHashing;
import dev.portcullis.api.snapshot.SecretValue;
import io.fabric8.kubernetes.api.model.Secret;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns one {@link VirtualKey} into a {@link KeyConfig}. The key material is read from the key's
 * Secret and kept only as a SHA-256 hash.
 */
final class KeyResolver {
  private final SecretIndex secrets;
  private final Map<String, LLMRoute> routes;

  /**
   * @param routes every route of the set by qualified name
   */
  KeyResolver(SecretIndex secrets, Map<String, LLMRoute> routes) {
    this.secrets = secrets;
    this.routes = routes;
  }

  /** The public id of a key that has none in its status: from its name, never from the key. */
  static String derivedKeyId(String namespace, String name) {
    return "vk_" + SnapshotCodec.sha256Hex(namespace + "/" + name).substring(0, 10);
  }

  void resolve(VirtualKey key, Candidate<KeyConfig> c) {
    VirtualKeySpec spec = key.getSpec();
    if (spec == null) {
      c.problem("spec", "the VirtualKey has no spec");
      return;
    }
    List<KeyHash> hashes = hashes(spec.getSecretName(), c);
    List<String> allowedRoutes = routes(spec.getRoutes(), c);
    KeyLimits l = spec.getLimits();
    KeyConfig.Limits limits =
        l == null
            ? KeyConfig.Limits.NONE
            : new KeyConfig.Limits(
                l.getRequestsPerMinute(), l.getTokensPerMinute(), l.getMaxConcurrent());
    KeyConfig.Budget budget = null;
    if (spec.getBudget() != null) {
      if (spec.getBudget().getAmountUsd() == null || spec.getBudget().getPeriod() == null) {
        c.problem("spec.budget", "a budget needs amountUSD and period");
      } else {
        BigDecimal amount = c.money(spec.getBudget().getAmountUsd(), "spec.budget.amountUSD");
        budget =
            amount == null
                ? null
                : new KeyConfig.Budget(
                    amount,
                    KeyConfig.Budget.Period.valueOf(spec.getBudget().getPeriod().name()),
                    spec.getBudget().getAction() == BudgetAction.WARN
                        ? KeyConfig.Budget.Action.WARN
                        : KeyConfig.Budget.Action.BLOCK);
      }
    }
    Instant expiresAt = c.timestamp(spec.getExpiresAt(), "spec.expiresAt");
    boolean failOpen = spec.getOnStoreUnavailable() != StoreUnavailableMode.FAIL_CLOSED;
    Map<String, SecretValue> credentials = providerCredentials(spec.getProviderCredentials(), c);
    String keyId =
        key.getStatus() != null && key.getStatus().getKeyId() != null
            ? key.getStatus().getKeyId()
            : derivedKeyId(c.namespace(), c.ref.name());
    if (c.isClean()) {
      c.config =
          new KeyConfig(
              c.id,
              keyId,
              hashes,
              allowedRoutes,
              limits,
              budget,
              expiresAt,
              failOpen,
              credentials,
              spec.getMetadata() == null ? Map.of() : spec.getMetadata(),
              Boolean.TRUE.equals(spec.getDisabled()));
    }
  }

  private List<KeyHash> hashes(String secretName, Candidate<KeyConfig> c) {
    List<KeyHash> hashes = new ArrayList<>();
    if (secretName == null) {
      c.problem("spec.secretName", "name the Secret that holds the key");
      return hashes;
    }
    Secret secret =
        secrets.find(
            c.namespace(),
            secretName,
            "spec.secretName",
            "the operator creates it when it mints the key; in standalone mode create it yourself"
                + " with data key "
                + VirtualKey.SECRET_DATA_KEY,
            c);
    if (secret == null) {
      return hashes;
    }
    String current =
        SecretIndex.data(
            secret,
            VirtualKey.SECRET_DATA_KEY,
            "spec.secretName",
            "the operator writes it when it mints the key; in standalone mode write it yourself",
            c);
    if (current != null) {
      hashes.add(new KeyHash(KeyHashing.sha256Hex(current), null));
    }
    String validUntilText =
        secret.getMetadata().getAnnotations() == null
            ? null
            : secret
                .getMetadata()
                .getAnnotations()
                .get(SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION);
    // A previous key counts only with its end of grace; without one it would work forever.
    if (validUntilText != null
        && SecretIndex.hasData(secret, SnapshotResolver.PREVIOUS_KEY_DATA_KEY)) {
      Instant validUntil =
          c.timestamp(
              validUntilText,
              "spec.secretName (annotation "
                  + SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION
                  + " of Secret "
                  + c.namespace()
                  + "/"
                  + secretName
                  + ")");
      String previous =
          SecretIndex.data(
              secret, SnapshotResolver.PREVIOUS_KEY_DATA_KEY, "spec.secretName", "", c);
      if (validUntil != null && previous != null) {
        hashes.add(new KeyHash(KeyHashing.sha256Hex(previous), validUntil));
      }
    }
    return hashes;
  }

  private List<String> routes(List<String> entries, Candidate<KeyConfig> c) {
    TreeSet<String> qualified = new TreeSet<>();
    if (entries == null) {
      return List.of();
    }
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      String field = "spec.routes[" + i + "]";
      if (entry == null || entry.isBlank()) {
        c.problem(field, "name a route as name or namespace/name");
        continue;
      }
      String name = entry.contains("/") ? entry : c.namespace() + "/" + entry;
      LLMRoute route = routes.get(name);
      if (route == null) {
        c.problem(field, "LLMRoute " + name + " does not exist");
      } else if (!RouteResolver.admits(route, c.namespace())) {
        c.problem(
            field,
            "LLMRoute "
                + name
                + " does not admit namespace "
                + c.namespace()
                + "; its owners can add "
                + c.namespace()
                + " to its spec.access.namespaces");
      } else {
        // A route that exists but is itself left out stays listed: the key is a permission, not
        // a dependency, and its other routes keep working; the route's status says what is wrong.
        qualified.add(name);
      }
    }
    return List.copyOf(qualified);
  }

  private Map<String, SecretValue> providerCredentials(
      List<ProviderCredential> entries, Candidate<KeyConfig> c) {
    Map<String, SecretValue> credentials = new TreeMap<>();
    if (entries == null) {
      return credentials;
    }
    for (int i = 0; i < entries.size(); i++) {
      ProviderCredential entry = entries.get(i);
      String field = "spec.providerCredentials[" + i + "]";
      if (entry.getProvider() == null) {
        c.problem(field + ".provider", "name the provider this credential is for");
        continue;
      }
      SecretValue value =
          secrets.credential(
              c.namespace(), entry.getSecretRef(), field + ".secretRef", "a VirtualKey", c);
      if (value != null && credentials.putIfAbsent(entry.getProvider().wireName(), value) != null) {
        c.problem(
            field + ".provider",
            "provider " + entry.getProvider().wireName() + " has more than one credential");
      }
    }
    return credentials;
  }
}
