package dev.portcullis.api.validation;

import dev.portcullis.api.ValidationPatterns;
import dev.portcullis.api.key.Budget;
import dev.portcullis.api.key.KeyLimits;
import dev.portcullis.api.key.ProviderCredential;
import dev.portcullis.api.key.Rotation;
import dev.portcullis.api.key.VirtualKeySpec;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of a {@code VirtualKey}: its Secret name, the routes it may use ({@code name} or {@code
 * namespace/name}, each once), limits, budget, expiry, rotation and at most one provider credential
 * per provider.
 */
final class KeyValidator {
  private static final Pattern ROUTE_REFERENCE =
      Pattern.compile(ValidationPatterns.ROUTE_REFERENCE);

  private KeyValidator() {}

  /** Adds the problems of {@code spec} to {@code checker}. */
  static void check(FieldChecker checker, VirtualKeySpec spec) {
    if (!checker.required("spec", spec)) {
      return;
    }
    if (checker.required("spec.secretName", spec.getSecretName())) {
      checker.dnsSubdomain("spec.secretName", spec.getSecretName());
    }
    List<String> routes = spec.getRoutes();
    if (routes != null) {
      for (int i = 0; i < routes.size(); i++) {
        String path = "spec.routes[" + i + "]";
        String route = routes.get(i);
        if (checker.required(path, route) && !ROUTE_REFERENCE.matcher(route).matches()) {
          checker.add(
              path,
              "'"
                  + route
                  + "' is not a route reference: write name (this namespace) or namespace/name,"
                  + " in lower-case letters, digits and '-'");
        }
      }
      checker.unique("spec.routes", routes, r -> r, "", "route");
    }
    KeyLimits limits = spec.getLimits();
    if (limits != null) {
      checker.atLeast("spec.limits.requestsPerMinute", limits.getRequestsPerMinute(), 1);
      checker.atLeast("spec.limits.tokensPerMinute", limits.getTokensPerMinute(), 1);
      checker.atLeast("spec.limits.maxConcurrent", limits.getMaxConcurrent(), 1);
    }
    Budget budget = spec.getBudget();
    if (budget != null) {
      if (checker.required("spec.budget.amountUSD", budget.getAmountUsd())) {
        checker.money("spec.budget.amountUSD", budget.getAmountUsd());
      }
      checker.required("spec.budget.period", budget.getPeriod());
    }
    checker.timestamp("spec.expiresAt", spec.getExpiresAt());
    Rotation rotation = spec.getRotation();
    if (rotation != null) {
      if (checker.required("spec.rotation.every", rotation.getEvery())) {
        checker.positiveDuration("spec.rotation.every", rotation.getEvery());
      }
      checker.duration("spec.rotation.gracePeriod", rotation.getGracePeriod());
    }
    List<ProviderCredential> credentials = spec.getProviderCredentials();
    if (credentials != null) {
      for (int i = 0; i < credentials.size(); i++) {
        String path = "spec.providerCredentials[" + i + "]";
        ProviderCredential credential = credentials.get(i);
        if (checker.required(path, credential)) {
          checker.required(path + ".provider", credential.getProvider());
          checker.secretKeySelector(path + ".secretRef", credential.getSecretRef());
        }
      }
      checker.unique(
          "spec.providerCredentials",
          credentials,
          c -> c.getProvider() == null ? null : c.getProvider().wireName(),
          "provider",
          "a credential for provider");
    }
    Map<String, String> metadata = spec.getMetadata();
    if (metadata != null) {
      metadata.keySet().stream()
          .filter(k -> k == null || k.isBlank())
          .findFirst()
          .ifPresent(k -> checker.add("spec.metadata", "metadata keys must not be empty"));
    }
  }
}
