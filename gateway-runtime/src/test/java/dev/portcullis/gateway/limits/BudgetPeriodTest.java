package dev.portcullis.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.KeyConfig.Budget.Period;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {
  static final Instant FRIDAY = Instant.parse("2025-03-07T23:59:59Z");

  @Test
  void aDayRunsFromUtcMidnightToMidnight() {
    BudgetPeriod p = BudgetPeriod.containing(Period.DAILY, FRIDAY);
    assertThat(p.id()).isEqualTo("d2025-03-07");
    assertThat(p.start()).isEqualTo(Instant.parse("2025-03-07T00:00:00Z"));
    assertThat(p.end()).isEqualTo(Instant.parse("2025-03-08T00:00:00Z"));
  }

  @Test
  void aWeekStartsOnMonday() {
    BudgetPeriod p = BudgetPeriod.containing(Period.WEEKLY, FRIDAY);
    assertThat(p.id()).isEqualTo("w2025-W10");
    assertThat(p.start()).isEqualTo(Instant.parse("2025-03-03T00:00:00Z"));
    assertThat(p.end()).isEqualTo(Instant.parse("2025-03-10T00:00:00Z"));
  }

  @Test
  void aMonthStartsOnTheFirst() {
    BudgetPeriod p = BudgetPeriod.containing(Period.MONTHLY, FRIDAY);
    assertThat(p.id()).isEqualTo("m2025-03");
    assertThat(p.end()).isEqualTo(Instant.parse("2025-04-01T00:00:00Z"));
  }

  @Test
  void aTotalPeriodNeverEndsAndItsCountersLiveWhileUsed() {
    BudgetPeriod p = BudgetPeriod.containing(Period.TOTAL, FRIDAY);
    assertThat(p.end()).isNull();
    assertThat(p.ttlSeconds(FRIDAY)).isEqualTo(BudgetPeriod.TOTAL_IDLE_TTL.toSeconds());
  }

  @Test
  void countersOutliveTheirPeriodForReporting() {
    BudgetPeriod p = BudgetPeriod.containing(Period.DAILY, FRIDAY);
    assertThat(p.ttlSeconds(FRIDAY)).isEqualTo(1 + BudgetPeriod.KEEP_AFTER_END.toSeconds());
  }
}
