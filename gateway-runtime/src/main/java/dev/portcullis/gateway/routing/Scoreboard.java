package dev.portcullis.gateway.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent health of every target this gateway has sent to, kept across snapshots (a target keeps its
 * history as long as its route and name stay the same).
 */
public final class Scoreboard {
  private final Map<TargetKey, TargetStats> stats = new ConcurrentHashMap<>();

  public TargetStats of(TargetKey key) {
    return stats.computeIfAbsent(key, k -> new TargetStats());
  }
}
