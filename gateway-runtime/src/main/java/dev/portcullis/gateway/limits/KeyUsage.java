package dev.portcullis.gateway.limits;

import java.time.Instant;

/**
 * A subject's settled usage in one period, plus what is reserved by requests in flight.
 *
 * @param periodStart {@link Instant#EPOCH} for a {@code TOTAL} period
 */
public record KeyUsage(
    Instant periodStart,
    long spentNanos,
    long reservedNanos,
    long requests,
    long inputTokens,
    long outputTokens) {}
