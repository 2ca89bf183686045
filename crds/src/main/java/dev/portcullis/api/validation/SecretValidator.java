package dev.portcullis.api.validation;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Base64;
import java.util.Map;

/**
 * The rules of a {@code Secret} that Portcullis reads: data keys are valid Secret keys and values
 * valid base64. Messages never quote a value.
 */
final class SecretValidator {
  private SecretValidator() {}

  /** Adds the problems of {@code secret} to {@code checker}. */
  static void check(FieldChecker checker, Secret secret) {
    Map<String, String> data = secret.getData();
    if (data != null) {
      for (Map.Entry<String, String> entry : data.entrySet()) {
        String path = "data." + entry.getKey();
        checker.secretKey(path, entry.getKey());
        if (entry.getValue() == null) {
          checker.add(path, "has no value");
          continue;
        }
        try {
          Base64.getDecoder().decode(entry.getValue().strip());
        } catch (IllegalArgumentException e) {
          // Say nothing about the value itself: it is secret.
          checker.add(
              path, "is not valid base64; put plain text under stringData, or base64 under data");
        }
      }
    }
    Map<String, String> stringData = secret.getStringData();
    if (stringData != null) {
      stringData.keySet().forEach(k -> checker.secretKey("stringData." + k, k));
    }
  }
}
