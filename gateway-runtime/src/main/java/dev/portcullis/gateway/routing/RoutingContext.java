package dev.portcullis.gateway.routing;

import java.util.random.RandomGenerator;

/**
 * What a strategy may look at besides the route: the request's attributes (Conditional), the
 * observed health of targets (Adaptive) and a source of randomness (LoadBalance, Adaptive).
 */
public record RoutingContext(
    RequestAttributes request, Scoreboard scoreboard, RandomGenerator random) {}
