package dev.portcullis.operator.controller;

import static java.net.HttpURLConnection.HTTP_CONFLICT;

import dev.portcullis.api.Problem;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.key.VirtualKeyStatus;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.operator.keys.KeyMinter;
import dev.portcullis.operator.snapshot.Kinds;
import dev.portcullis.operator.usage.UsageStatusPublisher;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * VirtualKeys: mint and rotate the key in its Secret ({@link KeyMinter}), then status: conditions,
 * the public key id and rotation times, and the usage the gateways reported ({@link
 * UsageStatusPublisher} decides when it changes; until this replica has figures, the last written
 * ones are carried over).
 */
public final class VirtualKeyReconciler
    extends StatusReconciler<VirtualKey, VirtualKeyStatus, KeyMinter.KeyState> {
  private final KeyMinter minter;

  public VirtualKeyReconciler(OperatorContext operator, KeyMinter minter) {
    super(operator, Kinds.KEY);
    this.minter = minter;
  }

  @Override
  protected Acted<KeyMinter.KeyState> act(VirtualKey key) {
    KeyMinter.KeyState keyState;
    try {
      keyState = minter.ensure(key);
    } catch (KubernetesClientException e) {
      // A conflict is only a race with another writer: retried quietly. Anything else a person
      // may have to fix, so failure() shows it.
      throw e.getCode() == HTTP_CONFLICT ? e : new SecretRefused(e);
    }
    return new Acted<>(keyState, keyState.recheckAfter());
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
      VirtualKeyStatus status,
      VirtualKeyStatus previous,
      ResourceReport report,
      VirtualKey key,
      Optional<KeyMinter.KeyState> acted) {
    if (report.record() instanceof KeyConfig config) {
      status.setKeyId(config.keyId());
    }
    if (acted.isPresent()) {
      status.setRotatedAt(acted.get().mintedAt());
      status.setPreviousKeyValidUntil(acted.get().previousValidUntil());
    } else if (previous != null) {
      // Acting failed this time: what the Secret held when it last succeeded still stands.
      status.setRotatedAt(previous.getRotatedAt());
      status.setPreviousKeyValidUntil(previous.getPreviousKeyValidUntil());
    }
    operator
        .usage()
        .usage(key.getMetadata().getNamespace(), key.getMetadata().getName())
        .ifPresent(status::setUsage);
  }
}
