package dev.portcullis.operator.snapshot;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.resolve.SnapshotCodec;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.Snapshot;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One resolved snapshot and what the operator needs to report on it.
 *
 * @param wholeJson the snapshot as sent whole to gateways (credentials included: never log it),
 *     written when first asked for: after the first connection, gateways get deltas
 * @param problems why each left-out resource is left out
 * @param generations the generation of every resource the build saw, in the snapshot or not
 * @param records each resource in the snapshot to its record, to tell which gateways run it as it
 *     is now
 */
public record SnapshotBuild(
    Snapshot snapshot,
    Supplier<byte[]> wholeJson,
    Map<ResourceRef, List<Problem>> problems,
    Map<ResourceRef, Long> generations,
    Map<ResourceRef, Object> records) {

  public SnapshotBuild(
      Snapshot snapshot,
      Map<ResourceRef, List<Problem>> problems,
      Map<ResourceRef, Long> generations,
      Map<ResourceRef, Object> records) {
    this(snapshot, memoized(() -> SnapshotCodec.toJson(snapshot)), problems, generations, records);
  }

  public String version() {
    return snapshot.version();
  }

  /** The whole snapshot's JSON (credentials included: never log it). */
  public byte[] json() {
    return wholeJson.get();
  }

  private static Supplier<byte[]> memoized(Supplier<byte[]> supplier) {
    return new Supplier<>() {
      private byte[] value;

      @Override
      public synchronized byte[] get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }

  public static Map<ResourceRef, Object> recordsOf(Snapshot snapshot) {
    Map<ResourceRef, Object> records = new HashMap<>();
    snapshot.routes().forEach(r -> records.put(ref(Kinds.ROUTE, r.id()), r));
    snapshot.keys().forEach(k -> records.put(ref(Kinds.KEY, k.id()), k));
    snapshot.policies().forEach(p -> records.put(ref(Kinds.POLICY, p.id()), p));
    snapshot.templates().forEach(t -> records.put(ref(Kinds.TEMPLATE, t.id()), t));
    return frozen(records);
  }

  /**
   * An unmodifiable view of a map nobody else holds. Not {@code Map.copyOf}: its open addressing
   * probes long runs for {@link ResourceRef}s, whose hashes of names such as {@code app-1} to
   * {@code app-9999} lie close together; with 12,000 resources, lookups in it dominated the status
   * refresh.
   */
  public static <K, V> Map<K, V> frozen(Map<K, V> map) {
    return Collections.unmodifiableMap(map);
  }

  private static ResourceRef ref(String kind, ResourceId id) {
    return new ResourceRef(kind, id.namespace(), id.name());
  }
}
