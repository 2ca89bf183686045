package dev.portcullis.gateway;

import dev.portcullis.gateway.limits.LimitSettings;
import dev.portcullis.gateway.testing.LocalRedis;
import dev.portcullis.gateway.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The limits contract on three gateways sharing the Redis on 127.0.0.1:6379: the limits hold for
 * the fleet, not per gateway.
 */
class RedisFleetLimitsTest extends LimitsContract {
  final String prefix = LocalRedis.uniquePrefix();

  @Override
  List<Gateway> startGateways(MutableClock clock) {
    LocalRedis.assumeShared();
    GatewaySettings settings =
        GatewaySettings.ephemeral()
            .withLimits(
                LimitSettings.DEFAULTS.withRedis(LocalRedis.SHARED_URL).withKeyPrefix(prefix));
    List<Gateway> fleet = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fleet.add(Gateway.start(settings, clock));
    }
    return fleet;
  }

  @AfterEach
  void cleanUp() {
    LocalRedis.deleteKeys(LocalRedis.SHARED_URL, prefix);
  }
}
