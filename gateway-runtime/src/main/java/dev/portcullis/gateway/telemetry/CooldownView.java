package dev.portcullis.gateway.telemetry;

/** Read-only view of the router's circuit breakers, for the cooldown gauge. */
@FunctionalInterface
public interface CooldownView {
  /**
   * Whether the target is held back now (cooling down, or its one probe is in flight).
   *
   * @param route qualified route name ({@code namespace/name})
   * @param target the target's name in that route
   */
  boolean coolingDown(String route, String target);
}
