package dev.portcullis.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.gateway.redis.RedisEndpoint.Topology;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class RedisEndpointTest {
  @Test
  void aRedisUrlIsOneNode() {
    RedisEndpoint e = RedisEndpoint.parse("redis://:s3cret@cache.internal:6380/2");

    assertThat(e.topology()).isEqualTo(Topology.STANDALONE);
    assertThat(e.nodes()).containsExactly(new HostAndPort("cache.internal", 6380));
    assertThat(e.waitReplicas()).isZero();
  }

  @Test
  void aSentinelUrlListsTheSentinelsAndNamesTheMaster() {
    RedisEndpoint e =
        RedisEndpoint.parse(
            "redis-sentinel://:pw@s1:26379,s2:26380,s3/mymaster/1?sentinelPassword=x");

    assertThat(e.topology()).isEqualTo(Topology.SENTINEL);
    assertThat(e.nodes())
        .containsExactly(
            new HostAndPort("s1", 26379),
            new HostAndPort("s2", 26380),
            new HostAndPort("s3", 26379));
    assertThat(e.toString()).contains("master=mymaster");
  }

  @Test
  void behindSentinelAWriteWaitsForOneReplicaUnlessToldOtherwise() {
    assertThat(RedisEndpoint.parse("redis-sentinel://s1/m").waitReplicas()).isEqualTo(1);
    assertThat(RedisEndpoint.parse("redis-sentinel://s1/m?waitReplicas=0").waitReplicas()).isZero();
    assertThat(RedisEndpoint.parse("redis-sentinel://s1/m?waitReplicas=2").waitReplicas())
        .isEqualTo(2);
  }

  @Test
  void aClusterUrlListsSeedNodes() {
    RedisEndpoint e = RedisEndpoint.parse("rediss-cluster://u:pw@a:7000,b:7001");

    assertThat(e.topology()).isEqualTo(Topology.CLUSTER);
    assertThat(e.nodes()).containsExactly(new HostAndPort("a", 7000), new HostAndPort("b", 7001));
  }

  @Test
  void toStringNeverShowsThePassword() {
    assertThat(RedisEndpoint.parse("redis-cluster://admin:hunter2@a:7000").toString())
        .doesNotContain("hunter2")
        .doesNotContain("admin")
        .contains("password=***");
    assertThat(RedisEndpoint.parse("redis-sentinel://:hunter2@s1/m?sentinelPassword=swordfish"))
        .asString()
        .doesNotContain("hunter2")
        .doesNotContain("swordfish");
  }

  @Test
  void badUrlsAreRefusedWithAReasonAndWithoutThePassword() {
    assertThatThrownBy(() -> RedisEndpoint.parse("memcached://:hunter2@a:1"))
        .hasMessageContaining("Unknown Redis URL scheme 'memcached'")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisEndpoint.parse("redis-sentinel://:hunter2@s1:26379"))
        .hasMessageContaining("names the master")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisEndpoint.parse("redis://a:1,b:2"))
        .hasMessageContaining("one node");
    assertThatThrownBy(() -> RedisEndpoint.parse("redis://:hunter2@a:port"))
        .hasMessageContaining("port that is not a number")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisEndpoint.parse("redis-sentinel://s1/m?waitReplicas=-1"))
        .hasMessageContaining("waitReplicas");
  }
}
