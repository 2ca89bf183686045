package dev.portcullis.operator;

import static java.net.HttpURLConnection.HTTP_CONFLICT;

import dev.portcullis.api.Problem;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.key.VirtualKeyStatus;
import dev.portcullis.api.snapshot.KeyConfig;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Optional;

/**
 * VirtualKeys: mint and rotate the key in its Secret ({@link KeyMinter}), then status: conditions,
 * the public key id and rotation times, and the usage the gateways reported ({@link
 * UsageStatusPublisher} decides when it changes; until this replica has figures, the last written
 * ones are carried over).
 */
final class VirtualKeyReconciler extends StatusReconciler<VirtualKey, VirtualKeyStatus> {
  private final KeyMinter minter;
  // The key Secret's state from act(), read back by fill() in the same reconciliation (same
  // thread).
  private final ThreadLocal<KeyMinter.KeyState> state = new ThreadLocal<>();

  VirtualKeyReconciler(OperatorContext operator, KeyMinter minter) {
    super(operator, Kinds.KEY);
    this.minter = minter;
  }

  @Override
  protected Optional<Duration> act(VirtualKey key) {
    KeyMinter.KeyState keyState;
    try {
      keyState = minter.ensure(key);
    } catch (KubernetesClientException e) {
      // A conflict is only a race with another writer: retried quietly. Anything else a person
      // may have to fix, so failure() shows it.
      throw e.getCode() == HTTP_CONFLICT ? e : new SecretRefused(e);
    }
    state.set(keyState);
    return Optional.ofNullable(keyState.recheckAfter());
  }

  /** The API server refused to read or write the key Secret. */
  private static final class SecretRefused extends RuntimeException {
    SecretRefused(KubernetesClientException cause) {
      super(cause.getMessage(), cause);
    }

    KubernetesClientException refusal() {
      return (KubernetesClientException) getCause();
    }
  }

  /**
   * The API server refused to read or write the key Secret (RBAC, a quota on Secrets, an admission
   * webhook): status and a Warning Event say so, naming the Secret and the server's answer; the
   * framework retries with backoff.
   */
  @Override
  protected Optional<Problem> failure(VirtualKey key, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SecretRefused refused) {
        KubernetesClientException refusal = refused.refusal();
        Status answer = refusal.getStatus();
        String why =
            answer != null && answer.getMessage() != null
                ? refusal.getCode() + " " + answer.getReason() + ": " + answer.getMessage()
                : refusal.getCode() + " " + refusal.getClass().getSimpleName();
        return Optional.of(
            new Problem(
                "spec.secretName",
                ProblemReasons.SECRET_WRITE_FAILED_PREFIX
                    + key.getMetadata().getNamespace()
                    + "/"
                    + key.getSpec().getSecretName()
                    + " ("
                    + why
                    + "); it retries with backoff"));
      }
    }
    return Optional.empty();
  }

  @Override
  protected VirtualKeyStatus newStatus(VirtualKeyStatus previous) {
    VirtualKeyStatus status = new VirtualKeyStatus();
    if (previous != null) {
      status.setUsage(previous.getUsage());
      status.setKeyId(previous.getKeyId());
    }
    return status;
  }

  @Override
  protected void fill(
      VirtualKeyStatus status, VirtualKeyStatus previous, ResourceReport report, VirtualKey key) {
    if (report.record() instanceof KeyConfig config) {
      status.setKeyId(config.keyId());
    }
    KeyMinter.KeyState keyState = state.get();
    if (keyState != null) {
      status.setRotatedAt(keyState.mintedAt());
      status.setPreviousKeyValidUntil(keyState.previousValidUntil());
    }
    operator
        .usage()
        .usage(key.getMetadata().getNamespace(), key.getMetadata().getName())
        .ifPresent(status::setUsage);
  }
}
