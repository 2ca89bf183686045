package dev.portcullis.gateway.limits;

/**
 * What a store reserved for one request; handed back to {@link LimitStore#settle} exactly once.
 *
 * @param id unique per reservation (the concurrency lease's member)
 * @param second the window second the request and tokens were counted in
 * @param store the store that made the reservation and must settle it (a fallback store settles
 *     locally what it reserved locally)
 */
public record Ticket(Demand demand, String id, long second, LimitStore store) {}
