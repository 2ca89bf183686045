package dev.portcullis.operator;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.limits.LimitSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The multi-tenant example with both gateways counting in one Redis: budgets hold fleet-wide, and
 * both gateways report the same shared totals, which the operator must not add up.
 */
class MultiTenantWithRedisTest extends MultiTenantExampleContract {
  static final String REDIS = "redis://127.0.0.1:6379";
  final String prefix = "portcullis-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";

  @Override
  void assumeAvailable() {
    try (Jedis jedis = new Jedis(URI.create(REDIS), 500)) {
      assumeTrue("PONG".equals(jedis.ping()), "no Redis on 127.0.0.1:6379");
    } catch (RuntimeException e) {
      assumeTrue(false, "no Redis on 127.0.0.1:6379");
    }
  }

  @Override
  GatewaySettings gatewaySettings() {
    return GatewaySettings.ephemeral()
        .withLimits(LimitSettings.DEFAULTS.withRedis(REDIS).withKeyPrefix(prefix));
  }

  @Override
  void cleanUp() {
    try (Jedis jedis = new Jedis(URI.create(REDIS), 2000)) {
      List<String> keys = new ArrayList<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      ScanParams match = new ScanParams().match(prefix + "*").count(1000);
      do {
        ScanResult<String> page = jedis.scan(cursor, match);
        keys.addAll(page.getResult());
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      if (!keys.isEmpty()) {
        jedis.del(keys.toArray(String[]::new));
      }
    }
  }
}
