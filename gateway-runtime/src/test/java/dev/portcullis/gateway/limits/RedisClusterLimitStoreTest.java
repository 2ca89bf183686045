package dev.portcullis.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.testing.RedisTopology;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The store contract against a real three-master Redis Cluster ({@code redis-server} processes this
 * test starts on free ports): every script runs on the one slot its subject's hash tag names.
 */
class RedisClusterLimitStoreTest extends LimitStoreContract {
  static RedisTopology cluster;
  static String url;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = RedisTopology.cluster(3);
    url = "redis-cluster://" + RedisTopology.addresses(cluster.nodes());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  LimitStore newStore() {
    return new RedisLimitStore(url, "portcullis:", Duration.ofSeconds(2));
  }

  @Test
  void subjectsSpreadOverTheMastersWhileEachSubjectsKeysShareOneSlot() {
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      String s = "vk:team/" + i;
      slots.add(JedisClusterCRC16.getSlot("portcullis:{" + s + "}:rpm"));
      assertThat(JedisClusterCRC16.getSlot("portcullis:{" + s + "}:rpm"))
          .isEqualTo(JedisClusterCRC16.getSlot("portcullis:{" + s + "}:spend:m2025-03"));
      Demand d = demand(rpm(5), 0, 0, System.currentTimeMillis());
      store.reserve(
          new Demand(
              s,
              d.policy(),
              d.tokens(),
              d.costNanos(),
              d.ledgerPeriod(),
              d.nowMillis(),
              d.leaseMillis(),
              false));
    }
    assertThat(slots.size()).isGreaterThan(40);
    try (JedisCluster jedis = new JedisCluster(cluster.nodes().get(0).address())) {
      long mastersWithKeys =
          jedis.getClusterNodes().values().stream()
              .filter(
                  pool -> {
                    try (var c = pool.getResource()) {
                      return new redis.clients.jedis.Jedis(c).dbSize() > 0;
                    }
                  })
              .count();
      assertThat(mastersWithKeys).as("every master holds some subjects").isEqualTo(3);
    }
  }
}
