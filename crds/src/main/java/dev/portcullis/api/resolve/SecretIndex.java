package dev.portcullis.api.resolve;

import dev.portcullis.api.SecretKeySelector;
import dev.portcullis.api.snapshot.SecretValue;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Secrets of a {@link ResourceSet}, looked up by namespace and name. Reads only {@code data}
 * (base64), never {@code stringData}. Values are stripped of surrounding whitespace, because a
 * trailing newline from {@code echo ... | base64} is a common slip and no credential ends in one.
 *
 * <p>Problems name the Secret and the data key, never a value.
 */
final class SecretIndex {
  private final Map<String, List<Secret>> byQualifiedName = new HashMap<>();

  SecretIndex(List<Secret> secrets) {
    for (Secret secret : secrets) {
      if (secret.getMetadata() == null || secret.getMetadata().getName() == null) {
        continue;
      }
      String qualified =
          SnapshotResolver.namespaceOf(secret) + "/" + secret.getMetadata().getName();
      byQualifiedName.computeIfAbsent(qualified, k -> new ArrayList<>()).add(secret);
    }
  }

  /**
   * The Secret {@code namespace/name}, or null with a problem recorded at {@code field}.
   *
   * @param whenMissing what to tell about a missing Secret, e.g. who creates it
   */
  Secret find(String namespace, String name, String field, String whenMissing, Candidate<?> c) {
    List<Secret> found = byQualifiedName.getOrDefault(namespace + "/" + name, List.of());
    if (found.isEmpty()) {
      c.problem(
          field, "Secret " + namespace + "/" + name + " does not exist (" + whenMissing + ")");
      return null;
    }
    if (found.size() > 1) {
      c.problem(
          field,
          "Secret "
              + namespace
              + "/"
              + name
              + " is defined "
              + found.size()
              + " times; keep one definition");
      return null;
    }
    return found.get(0);
  }

  /**
   * The decoded, stripped value of {@code dataKey}, or null with a problem recorded at {@code
   * field}.
   *
   * @param whenMissing appended to the message when the key is absent, e.g. who writes it
   */
  static String data(
      Secret secret, String dataKey, String field, String whenMissing, Candidate<?> c) {
    String qualified = SnapshotResolver.namespaceOf(secret) + "/" + secret.getMetadata().getName();
    String encoded = secret.getData() == null ? null : secret.getData().get(dataKey);
    if (encoded == null) {
      c.problem(
          field,
          "Secret "
              + qualified
              + " has no data key "
              + dataKey
              + (whenMissing.isEmpty() ? "" : " (" + whenMissing + ")"));
      return null;
    }
    String value;
    try {
      value = new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8).strip();
    } catch (IllegalArgumentException e) {
      c.problem(field, "data key " + dataKey + " of Secret " + qualified + " is not valid base64");
      return null;
    }
    if (value.isEmpty()) {
      c.problem(field, "data key " + dataKey + " of Secret " + qualified + " is empty");
      return null;
    }
    return value;
  }

  /** Whether the Secret has {@code dataKey} in its data at all. */
  static boolean hasData(Secret secret, String dataKey) {
    return secret.getData() != null && secret.getData().containsKey(dataKey);
  }

  /** A credential named by a selector, in {@code namespace}; null with a problem when missing. */
  SecretValue credential(
      String namespace, SecretKeySelector ref, String field, String whoReads, Candidate<?> c) {
    if (ref == null || ref.getName() == null || ref.getKey() == null) {
      c.problem(field, "name the Secret and the data key that hold the credential");
      return null;
    }
    Secret secret =
        find(
            namespace,
            ref.getName(),
            field,
            whoReads + " reads Secrets only from its own namespace, " + namespace,
            c);
    if (secret == null) {
      return null;
    }
    String value =
        data(
            secret,
            ref.getKey(),
            field,
            secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())
                ? "keys under stringData are not read; a Kubernetes API server moves them to data"
                : "",
            c);
    return value == null ? null : SecretValue.of(value);
  }
}
