package dev.portcullis.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.KeyConfig.Budget.Period;
import dev.portcullis.gateway.testing.RedisTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Limits behind Redis Sentinel while the master is killed under load: a master, one replica and
 * three sentinels, real {@code redis-server} processes on free ports. A fail-closed key is refused
 * while no master takes writes and is never over-admitted across the failover; a fail-open key's
 * usage, counted locally meanwhile, reaches the promoted master's ledger.
 */
class RedisSentinelFailoverTest {
  static final String MASTER = "portcullis-test";

  RedisTopology redis;
  LimitCounters counters = new LimitCounters();
  FallbackLimitStore store;

  @BeforeEach
  void start() throws Exception {
    redis = RedisTopology.sentinel(MASTER, 1, 3);
    String url = "redis-sentinel://" + RedisTopology.addresses(redis.sentinels()) + "/" + MASTER;
    store =
        new FallbackLimitStore(
            new RedisLimitStore(url, "portcullis:", Duration.ofMillis(500)),
            new InProcessLimitStore(),
            counters,
            Duration.ofMillis(100));
  }

  @AfterEach
  void stop() throws Exception {
    if (store != null) {
      store.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static Demand demand(String subject, long limit, boolean failOpen) {
    long now = System.currentTimeMillis();
    return new Demand(
        subject,
        new LimitPolicy(limit, -1, -1, null),
        0,
        0,
        BudgetPeriod.containing(Period.MONTHLY, Instant.ofEpochMilli(now)),
        now,
        60_000,
        failOpen);
  }

  @Test
  void aFailClosedKeyIsRefusedDuringFailoverAndAdmittedExactlyUpToItsLimit() throws Exception {
    String subject = "vk:ha/" + UUID.randomUUID();
    long limit = 200;
    int oldMaster = redis.currentMasterPort(MASTER);
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger refusedUnavailable = new AtomicInteger();
    AtomicInteger refusedByLimitAfterFailover = new AtomicInteger();
    AtomicBoolean failedOver = new AtomicBoolean();
    long until = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    List<Future<?>> workers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < 8; w++) {
        workers.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < until && refusedByLimitAfterFailover.get() < 20) {
                    try {
                      Decision d = store.reserve(demand(subject, limit, false));
                      if (d.admitted()) {
                        admitted.incrementAndGet();
                        store.settle(
                            d.ticket(), new Settlement(true, 0, 0, 0, System.currentTimeMillis()));
                      } else if (failedOver.get()) {
                        refusedByLimitAfterFailover.incrementAndGet();
                      }
                    } catch (StoreUnavailableException e) {
                      refusedUnavailable.incrementAndGet();
                    }
                    try {
                      Thread.sleep(50);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }));
      }
      RedisTopology.waitFor(() -> admitted.get() >= 40, "admissions before the kill");
      redis.node(oldMaster).kill();
      int newMaster = redis.awaitFailover(MASTER, oldMaster);
      // The old master comes back as a replica of the new one, so writes are confirmed again.
      redis.node(oldMaster).restartAsReplicaOf(newMaster);
      failedOver.set(true);
      for (Future<?> f : workers) {
        f.get();
      }
    }

    assertThat(refusedUnavailable.get()).as("refused while no master took writes").isPositive();
    assertThat(refusedByLimitAfterFailover.get())
        .as("the limit was reached after the failover")
        .isGreaterThanOrEqualTo(20);
    assertThat(admitted.get())
        .as("admissions before the kill survived it, and none beyond the limit")
        .isEqualTo((int) limit);
  }

  @Test
  void usageCountedLocallyWhileNoMasterTookWritesReachesTheLedgerAfterwards() throws Exception {
    String subject = "vk:ha/" + UUID.randomUUID();
    Demand open = demand(subject, 1_000, true);
    Decision before = store.reserve(open);
    store.settle(before.ticket(), new Settlement(true, 10, 5, 100, System.currentTimeMillis()));
    int oldMaster = redis.currentMasterPort(MASTER);

    redis.node(oldMaster).kill();
    int servedLocally = 0;
    while (servedLocally < 5) {
      Decision d = store.reserve(demand(subject, 1_000, true));
      store.settle(d.ticket(), new Settlement(true, 10, 5, 100, System.currentTimeMillis()));
      if (!store.sharedAvailable()) {
        servedLocally++;
      }
    }
    int newMaster = redis.awaitFailover(MASTER, oldMaster);
    redis.node(oldMaster).restartAsReplicaOf(newMaster);
    RedisTopology.waitFor(
        () -> {
          try {
            Decision d = store.reserve(demand(subject, 1_000, true));
            store.settle(d.ticket(), Settlement.released(System.currentTimeMillis()));
          } catch (StoreUnavailableException e) {
            return false;
          }
          return store.sharedAvailable() && store.owedRequests() == 0;
        },
        "the local usage to be added to Redis");

    KeyUsage usage = store.usage(subject, open.ledgerPeriod());
    // The request settled just before the kill may be lost with the old master (a settlement is
    // replicated asynchronously; only reservations wait for a replica), so at least the local ones.
    assertThat(usage.requests()).isGreaterThanOrEqualTo(servedLocally);
    assertThat(usage.spentNanos()).isEqualTo(usage.requests() * 100);
  }
}
