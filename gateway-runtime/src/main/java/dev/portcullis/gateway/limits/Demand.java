package dev.portcullis.gateway.limits;

/**
 * What one request asks of a subject before its upstream call.
 *
 * @param subject who is limited: {@code vk:<namespace>/<name>} or {@code tg:<ns>/<route>/<target>};
 *     it becomes the Redis hash tag
 * @param tokens estimated input + output tokens to reserve
 * @param costNanos estimated cost to reserve against the budget, in nano-USD
 * @param ledgerPeriod the period usage is recorded under (the budget's, else monthly)
 * @param leaseMillis how long a concurrency slot is held if the gateway dies before settling
 * @param failOpen when the shared store is unreachable: serve with local counters (true) or refuse
 */
public record Demand(
    String subject,
    LimitPolicy policy,
    long tokens,
    long costNanos,
    BudgetPeriod ledgerPeriod,
    long nowMillis,
    long leaseMillis,
    boolean failOpen) {}
