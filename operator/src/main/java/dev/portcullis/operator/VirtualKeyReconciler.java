package dev.portcullis.operator;

import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.key.VirtualKeyStatus;
import dev.portcullis.api.snapshot.KeyConfig;
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
    KeyMinter.KeyState keyState = minter.ensure(key);
    state.set(keyState);
    return Optional.ofNullable(keyState.recheckAfter());
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
