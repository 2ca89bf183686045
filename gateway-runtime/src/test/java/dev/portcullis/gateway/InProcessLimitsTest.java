package dev.portcullis.gateway;

import dev.portcullis.gateway.testing.MutableClock;
import java.util.List;

/** The limits contract on one standalone gateway with in-process counters. */
class InProcessLimitsTest extends LimitsContract {
  @Override
  List<Gateway> startGateways(MutableClock clock) {
    return List.of(Gateway.start(GatewaySettings.ephemeral(), clock));
  }
}
