package dev.portcullis.operator.fleet;

import dev.portcullis.api.resolve.SnapshotCodec;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import dev.portcullis.operator.snapshot.SnapshotBuild;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What goes down a gateway's stream for a new version: a {@link SnapshotDelta} from the version
 * sent to it before, or the whole snapshot when the gateway has none yet or the delta would not be
 * much smaller.
 *
 * <p>The gateways of a fleet usually move from the same version to the same next one, so each delta
 * is computed and serialized once and shared: the first stream to ask computes it, the others wait
 * for that result. Only deltas to the newest version are kept.
 */
public final class FleetMessages {
  /** A delta is sent when it carries fewer than this share of the snapshot's entries. */
  private static final int WHOLE_IF_DELTA_OVER_PERCENT = 50;

  /** One line for the stream. */
  public record Message(byte[] bytes, boolean delta) {}

  private final Map<String, Message> deltas = new ConcurrentHashMap<>();
  private volatile String target;

  /**
   * The message that takes a gateway from {@code sent} (null: nothing sent on this connection, or
   * the gateway rejected it) to {@code next}.
   */
  public Message encode(SnapshotBuild sent, SnapshotBuild next) {
    if (sent == null || sent.version().equals(next.version())) {
      return new Message(next.json(), false);
    }
    if (!next.version().equals(target)) {
      target = next.version();
      deltas.keySet().removeIf(k -> !k.endsWith(next.version()));
    }
    return deltas.computeIfAbsent(sent.version() + ">" + next.version(), k -> smaller(sent, next));
  }

  private static Message smaller(SnapshotBuild sent, SnapshotBuild next) {
    SnapshotDelta delta = SnapshotDelta.between(sent.snapshot(), next.snapshot());
    Snapshot s = next.snapshot();
    long entries = s.routes().size() + s.keys().size() + s.policies().size() + s.templates().size();
    return (long) delta.size() * 100 < entries * WHOLE_IF_DELTA_OVER_PERCENT
        ? new Message(SnapshotCodec.toJson(delta), true)
        : new Message(next.json(), false);
  }
}
