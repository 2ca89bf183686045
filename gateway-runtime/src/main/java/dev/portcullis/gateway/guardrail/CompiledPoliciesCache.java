package dev.portcullis.gateway.guardrail;

import dev.portcullis.api.snapshot.Snapshot;
import java.util.Objects;

/**
 * Holds the {@link CompiledPolicies} of the snapshot the gateway serves. Compiles when a snapshot
 * with a new version arrives (call {@link #apply} where the gateway swaps snapshots, or lazily
 * through {@link #forSnapshot} per request: the version comparison is all a request pays), reusing
 * every unchanged policy of the previous snapshot.
 */
public final class CompiledPoliciesCache {
  private final TokenCounter tokens;
  private volatile CompiledPolicies current = CompiledPolicies.EMPTY;

  public CompiledPoliciesCache(TokenCounter tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  /** The compiled policies of {@code snapshot}, compiling them if its version is new. */
  public CompiledPolicies forSnapshot(Snapshot snapshot) {
    CompiledPolicies now = current;
    if (Objects.equals(now.snapshotVersion(), snapshot.version())) {
      return now;
    }
    return apply(snapshot);
  }

  /** Compiles {@code snapshot}'s policies (unless already current) and makes them current. */
  public synchronized CompiledPolicies apply(Snapshot snapshot) {
    CompiledPolicies now = current;
    if (Objects.equals(now.snapshotVersion(), snapshot.version())) {
      return now;
    }
    CompiledPolicies next =
        CompiledPolicies.compile(snapshot.version(), snapshot.policies(), tokens, now);
    current = next;
    return next;
  }

  public CompiledPolicies current() {
    return current;
  }
}
