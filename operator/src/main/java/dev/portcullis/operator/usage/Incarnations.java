package dev.portcullis.operator.usage;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Tells figures of the resource a name stands for now from figures of an earlier resource of that
 * name (deleted, perhaps re-created since), by {@code metadata.uid}: the uid each name is served
 * with, as the latest snapshot build named them, and the uids forgotten in the last {@link
 * PromptResultsRollup#FORGOTTEN_FOR}. Figures that name no uid (gateways and replicas of before
 * uids were reported) are always taken as current. Not thread-safe: its rollup's lock guards it.
 */
final class Incarnations {
  private final Clock clock;
  private Map<String, String> served = Map.of();
  private final Map<String, Instant> forgotten = new HashMap<>();

  Incarnations(Clock clock) {
    this.clock = clock;
  }

  /** The uid of each served name that has one, from a new build; forgets old forgotten uids. */
  void served(Map<String, String> uids) {
    Instant now = clock.instant();
    forgotten.values().removeIf(at -> !now.isBefore(at.plus(PromptResultsRollup.FORGOTTEN_FOR)));
    served = Map.copyOf(uids);
  }

  /**
   * Whether figures of {@code uid} (the figures kept under {@code name}) are of another resource.
   */
  boolean replaced(String name, String uid) {
    String now = served.get(name);
    return uid != null && now != null && !now.equals(uid);
  }

  /** Figures of {@code uid} that arrive from now on are ignored for a while. */
  void forget(String uid) {
    if (uid != null) {
      forgotten.put(uid, clock.instant());
    }
  }

  /** Whether figures naming {@code uid} are of the resource {@code name} stands for now. */
  boolean isCurrent(String name, String uid) {
    if (uid == null) {
      return true;
    }
    Instant at = forgotten.get(uid);
    if (at != null && clock.instant().isBefore(at.plus(PromptResultsRollup.FORGOTTEN_FOR))) {
      return false;
    }
    return !replaced(name, uid);
  }

  /** Whether figures kept of {@code kept} must make way for figures of {@code arriving}. */
  static boolean differ(String kept, String arriving) {
    return kept != null && arriving != null && !kept.equals(arriving);
  }
}
