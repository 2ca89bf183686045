package dev.portcullis.gateway.limits;

import dev.portcullis.api.snapshot.KeyConfig;

/**
 * Per-key usage totals of the current period (the budget's period, else the calendar month), for
 * reporting spend next to the budget ({@code VirtualKey.status.usage}).
 */
public interface UsageLedger {
  /**
   * @throws StoreUnavailableException when the shared store cannot be reached
   */
  KeyUsage usage(KeyConfig key);
}
