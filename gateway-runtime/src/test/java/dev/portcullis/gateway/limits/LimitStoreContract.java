package dev.portcullis.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.KeyConfig.Budget.Period;
import dev.portcullis.gateway.limits.Decision.Refusal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The semantics every {@link LimitStore} has; run against each implementation. */
abstract class LimitStoreContract {
  static final long T0 = Instant.parse("2025-03-07T10:00:00.200Z").toEpochMilli();

  LimitStore store;
  String subject;

  abstract LimitStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
    subject = "vk:test/" + UUID.randomUUID();
  }

  @AfterEach
  void close() {
    store.close();
  }

  Demand demand(LimitPolicy policy, long tokens, long costNanos, long nowMillis) {
    return new Demand(
        subject,
        policy,
        tokens,
        costNanos,
        BudgetPeriod.containing(
            policy.budget() == null ? Period.MONTHLY : policy.budget().period(),
            Instant.ofEpochMilli(nowMillis)),
        nowMillis,
        60_000,
        true);
  }

  static LimitPolicy rpm(long n) {
    return new LimitPolicy(n, -1, -1, null);
  }

  static LimitPolicy tpm(long n) {
    return new LimitPolicy(-1, n, -1, null);
  }

  static LimitPolicy concurrent(long n) {
    return new LimitPolicy(-1, -1, n, null);
  }

  static LimitPolicy budget(long nanos, Period period, boolean block) {
    return new LimitPolicy(-1, -1, -1, new BudgetPolicy(nanos, period, block));
  }

  @Test
  void requestsAreAdmittedUpToTheLimitPerMinute() {
    for (int i = 0; i < 3; i++) {
      assertThat(store.reserve(demand(rpm(3), 0, 0, T0 + i)).admitted()).isTrue();
    }
    Decision fourth = store.reserve(demand(rpm(3), 0, 0, T0 + 3));
    assertThat(fourth.refusal()).isEqualTo(Refusal.REQUESTS_PER_MINUTE);
    assertThat(fourth.quota().remainingRequests()).isZero();
    assertThat(fourth.quota().resetRequestsMillis()).isBetween(59_000L, 60_000L);
  }

  @Test
  void theWindowSlidesSecondBySecond() {
    store.reserve(demand(rpm(2), 0, 0, T0));
    store.reserve(demand(rpm(2), 0, 0, T0 + 30_000));
    assertThat(store.reserve(demand(rpm(2), 0, 0, T0 + 59_000)).admitted()).isFalse();
    // The first request's second has left the window; the second one's has not.
    assertThat(store.reserve(demand(rpm(2), 0, 0, T0 + 60_000)).admitted()).isTrue();
    assertThat(store.reserve(demand(rpm(2), 0, 0, T0 + 61_000)).admitted()).isFalse();
  }

  @Test
  void remainingRequestsCountDown() {
    assertThat(store.reserve(demand(rpm(5), 0, 0, T0)).quota().remainingRequests()).isEqualTo(4);
    assertThat(store.reserve(demand(rpm(5), 0, 0, T0)).quota().remainingRequests()).isEqualTo(3);
  }

  @Test
  void tokensOvershootByAtMostOneReservation() {
    long admitted = 0;
    for (int i = 0; i < 10; i++) {
      if (store.reserve(demand(tpm(1000), 300, 0, T0)).admitted()) {
        admitted += 300;
      }
    }
    assertThat(admitted).isEqualTo(1200).isLessThanOrEqualTo(1000 + 300);
  }

  @Test
  void settlingReplacesReservedTokensWithTheRealCount() {
    Decision d = store.reserve(demand(tpm(1000), 900, 0, T0));
    store.settle(d.ticket(), new Settlement(true, 50, 50, 0, T0 + 10));
    Decision next = store.reserve(demand(tpm(1000), 100, 0, T0 + 20));
    assertThat(next.admitted()).isTrue();
    assertThat(next.quota().remainingTokens()).isEqualTo(1000 - 100 - 100);
  }

  @Test
  void theConcurrencyCapHoldsUntilARequestSettles() {
    Decision a = store.reserve(demand(concurrent(2), 0, 0, T0));
    store.reserve(demand(concurrent(2), 0, 0, T0));
    assertThat(store.reserve(demand(concurrent(2), 0, 0, T0)).refusal())
        .isEqualTo(Refusal.CONCURRENCY);
    store.settle(a.ticket(), new Settlement(true, 1, 1, 0, T0 + 5));
    assertThat(store.reserve(demand(concurrent(2), 0, 0, T0 + 6)).admitted()).isTrue();
  }

  @Test
  void aConcurrencySlotOfAGatewayThatDiedExpiresWithItsLease() {
    store.reserve(demand(concurrent(1), 0, 0, T0));
    assertThat(store.reserve(demand(concurrent(1), 0, 0, T0 + 59_000)).admitted()).isFalse();
    assertThat(store.reserve(demand(concurrent(1), 0, 0, T0 + 60_001)).admitted()).isTrue();
  }

  @Test
  void aBlockBudgetRefusesOnceReservationsReachIt() {
    LimitPolicy p = budget(1_000, Period.MONTHLY, true);
    Decision first = store.reserve(demand(p, 0, 600, T0));
    Decision second = store.reserve(demand(p, 0, 600, T0));
    Decision third = store.reserve(demand(p, 0, 600, T0));
    assertThat(first.admitted()).isTrue();
    assertThat(second.admitted()).isTrue();
    assertThat(third.refusal()).isEqualTo(Refusal.BUDGET);
  }

  @Test
  void settledSpendIsTheSumOfRealCostsAndFreesTheRest() {
    LimitPolicy p = budget(1_000, Period.MONTHLY, true);
    Decision a = store.reserve(demand(p, 0, 600, T0));
    Decision b = store.reserve(demand(p, 0, 600, T0));
    store.settle(a.ticket(), new Settlement(true, 10, 20, 123, T0 + 1));
    store.settle(b.ticket(), new Settlement(true, 10, 20, 77, T0 + 2));
    KeyUsage usage = store.usage(subject, demand(p, 0, 0, T0).ledgerPeriod());
    assertThat(usage.spentNanos()).isEqualTo(200);
    assertThat(usage.reservedNanos()).isZero();
    assertThat(usage.requests()).isEqualTo(2);
    assertThat(usage.inputTokens()).isEqualTo(20);
    assertThat(usage.outputTokens()).isEqualTo(40);
    assertThat(store.reserve(demand(p, 0, 600, T0 + 3)).admitted()).isTrue();
  }

  @Test
  void aWarnBudgetAdmitsAndFlagsOnceReached() {
    LimitPolicy p = budget(100, Period.DAILY, false);
    Decision a = store.reserve(demand(p, 0, 100, T0));
    assertThat(a.budgetReached()).isFalse();
    Decision b = store.reserve(demand(p, 0, 100, T0));
    assertThat(b.admitted()).isTrue();
    assertThat(b.budgetReached()).isTrue();
  }

  @Test
  void aBudgetResetsWhenItsCalendarPeriodEnds() {
    LimitPolicy p = budget(100, Period.DAILY, true);
    Decision a = store.reserve(demand(p, 0, 100, T0));
    store.settle(a.ticket(), new Settlement(true, 1, 1, 100, T0 + 1));
    assertThat(store.reserve(demand(p, 0, 1, T0 + 2)).admitted()).isFalse();
    long nextDay = Instant.parse("2025-03-08T00:00:00Z").toEpochMilli();
    assertThat(store.reserve(demand(p, 0, 1, nextDay)).admitted()).isTrue();
  }

  @Test
  void aTotalBudgetNeverResets() {
    LimitPolicy p = budget(100, Period.TOTAL, true);
    Decision a = store.reserve(demand(p, 0, 100, T0));
    store.settle(a.ticket(), new Settlement(true, 1, 1, 100, T0 + 1));
    long nextYear = Instant.parse("2026-03-08T00:00:00Z").toEpochMilli();
    assertThat(store.reserve(demand(p, 0, 1, nextYear)).refusal()).isEqualTo(Refusal.BUDGET);
  }

  @Test
  void releasingGivesBackTheRequestTokensSlotAndBudget() {
    LimitPolicy p = new LimitPolicy(1, 100, 1, new BudgetPolicy(100, Period.MONTHLY, true));
    Decision a = store.reserve(demand(p, 100, 100, T0));
    assertThat(store.reserve(demand(p, 1, 1, T0)).admitted()).isFalse();
    store.settle(a.ticket(), Settlement.released(T0 + 1));
    Decision again = store.reserve(demand(p, 100, 100, T0 + 2));
    assertThat(again.admitted()).isTrue();
    KeyUsage usage = store.usage(subject, demand(p, 0, 0, T0).ledgerPeriod());
    assertThat(usage.requests()).isZero();
    assertThat(usage.spentNanos()).isZero();
  }

  @Test
  void aRefusedDemandReservesNothing() {
    LimitPolicy p = new LimitPolicy(10, 100, -1, null);
    store.reserve(demand(p, 100, 0, T0));
    Decision refused = store.reserve(demand(p, 50, 0, T0));
    assertThat(refused.refusal()).isEqualTo(Refusal.TOKENS_PER_MINUTE);
    assertThat(refused.quota().remainingRequests()).isEqualTo(9);
  }

  @Test
  void usageWithoutLimitsIsRecordedForTheLedger() {
    Demand d = demand(LimitPolicy.UNLIMITED, 0, 0, T0);
    store.record(d, new Settlement(true, 7, 3, 42, T0));
    store.record(d, new Settlement(true, 1, 1, 8, T0));
    KeyUsage usage = store.usage(subject, d.ledgerPeriod());
    assertThat(usage.spentNanos()).isEqualTo(50);
    assertThat(usage.requests()).isEqualTo(2);
    assertThat(usage.inputTokens()).isEqualTo(8);
  }

  @Test
  void usageCountedElsewhereIsAddedToTheLedgerInOneStep() {
    Demand d = demand(LimitPolicy.UNLIMITED, 0, 0, T0);
    store.record(d, new Settlement(true, 1, 1, 10, T0));

    store.addUsage(subject, d.ledgerPeriod(), new CountedUsage(25, 700, 300, 5_000), T0);

    KeyUsage usage = store.usage(subject, d.ledgerPeriod());
    assertThat(usage.requests()).isEqualTo(26);
    assertThat(usage.inputTokens()).isEqualTo(701);
    assertThat(usage.outputTokens()).isEqualTo(301);
    assertThat(usage.spentNanos()).isEqualTo(5_010);
    assertThat(usage.reservedNanos()).isZero();
  }

  @Test
  void concurrentDemandsNeverExceedTheLimit() throws Exception {
    List<Callable<Boolean>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(() -> store.reserve(demand(rpm(60), 0, 0, T0)).admitted());
    }
    int admitted = 0;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<Boolean> f : pool.invokeAll(calls)) {
        if (f.get()) {
          admitted++;
        }
      }
    }
    assertThat(admitted).isEqualTo(60);
  }
}
