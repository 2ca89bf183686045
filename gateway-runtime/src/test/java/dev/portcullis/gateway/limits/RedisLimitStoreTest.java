package dev.portcullis.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.testing.LocalRedis;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store contract against the shared Redis on 127.0.0.1:6379, under a prefix per run. */
class RedisLimitStoreTest extends LimitStoreContract {
  final String prefix = LocalRedis.uniquePrefix();

  @Override
  LimitStore newStore() {
    LocalRedis.assumeShared();
    return new RedisLimitStore(LocalRedis.SHARED_URL, prefix, Duration.ofSeconds(2));
  }

  @AfterEach
  void cleanUp() {
    LocalRedis.deleteKeys(LocalRedis.SHARED_URL, prefix);
  }

  @Test
  void everyKeyOfASubjectSharesOneHashTagAndExpires() {
    LimitPolicy p = new LimitPolicy(10, 1000, 5, new BudgetPolicy(1000, null, true));
    Demand d =
        new Demand(
            subject,
            p,
            10,
            10,
            BudgetPeriod.containing(
                dev.portcullis.api.snapshot.KeyConfig.Budget.Period.MONTHLY,
                java.time.Instant.now()),
            System.currentTimeMillis(),
            60_000,
            true);
    store.reserve(d);
    var keys = LocalRedis.keys(LocalRedis.SHARED_URL, prefix);
    assertThat(keys).hasSize(4).allMatch(k -> k.contains("{" + subject + "}"));
    assertThat(LocalRedis.ttls(LocalRedis.SHARED_URL, keys)).allMatch(ttl -> ttl > 0);
  }
}
