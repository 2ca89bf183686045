package dev.portcullis.gateway.limits;

import dev.portcullis.api.snapshot.KeyConfig;
import java.util.List;

/**
 * Per-key usage totals of the current period (the budget's period, else the calendar month), for
 * reporting spend next to the budget ({@code VirtualKey.status.usage}).
 */
public interface UsageLedger {
  /**
   * @throws StoreUnavailableException when the shared store cannot be reached
   */
  KeyUsage usage(KeyConfig key);

  /** The period a key's usage is recorded under now. */
  BudgetPeriod period(KeyConfig key);

  /**
   * The keys this gateway served since the last call (each once, as last configured), so a report
   * needs to read only those. Take them before reading their usage: a request settled after the
   * take is returned by the next one.
   */
  List<KeyConfig> takeChangedKeys();

  /**
   * Whether {@link #usage} reads counters shared by the whole fleet (Redis), rather than this
   * gateway process's own.
   */
  boolean sharedAcrossFleet();
}
