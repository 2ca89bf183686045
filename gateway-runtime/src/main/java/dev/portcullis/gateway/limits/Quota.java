package dev.portcullis.gateway.limits;

/**
 * Where a subject stands after a decision, for OpenAI's {@code x-ratelimit-*} headers. Limits are
 * negative when not set; resets are milliseconds until the window frees capacity.
 */
public record Quota(
    long limitRequests,
    long remainingRequests,
    long resetRequestsMillis,
    long limitTokens,
    long remainingTokens,
    long resetTokensMillis) {}
