package dev.portcullis.gateway.limits;

import dev.portcullis.api.snapshot.KeyConfig.Budget.Period;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One calendar period of a budget in UTC: days start at midnight, weeks on Monday (ISO), months on
 * the 1st. {@code TOTAL} is a single period that never ends.
 *
 * @param id part of the storage key, e.g. {@code d2025-03-07}, {@code w2025-W10}, {@code m2025-03},
 *     {@code total}
 * @param end null for {@code TOTAL}
 */
public record BudgetPeriod(Period period, String id, Instant start, Instant end) {
  /** How long a period's counters are kept after it ends, so the last one can still be reported. */
  static final Duration KEEP_AFTER_END = Duration.ofDays(35);

  /** A {@code TOTAL} budget's counters live this long after their last use. */
  static final Duration TOTAL_IDLE_TTL = Duration.ofDays(400);

  /** The period last asked for, per kind: nearly every request falls in the same one. */
  private static final AtomicReferenceArray<BudgetPeriod> LAST =
      new AtomicReferenceArray<>(Period.values().length);

  public static BudgetPeriod containing(Period period, Instant now) {
    BudgetPeriod last = LAST.get(period.ordinal());
    if (last != null && last.contains(now)) {
      return last;
    }
    BudgetPeriod computed = compute(period, now);
    LAST.set(period.ordinal(), computed);
    return computed;
  }

  private boolean contains(Instant now) {
    return !now.isBefore(start) && (end == null || now.isBefore(end));
  }

  private static BudgetPeriod compute(Period period, Instant now) {
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return switch (period) {
      case DAILY -> new BudgetPeriod(period, "d" + day, at(day), at(day.plusDays(1)));
      case WEEKLY -> {
        LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        String id =
            String.format(
                "w%d-W%02d",
                monday.get(IsoFields.WEEK_BASED_YEAR),
                monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        yield new BudgetPeriod(period, id, at(monday), at(monday.plusWeeks(1)));
      }
      case MONTHLY -> {
        LocalDate first = day.withDayOfMonth(1);
        yield new BudgetPeriod(
            period,
            "m" + first.getYear() + "-" + String.format("%02d", first.getMonthValue()),
            at(first),
            at(first.plusMonths(1)));
      }
      case TOTAL -> new BudgetPeriod(period, "total", Instant.EPOCH, null);
    };
  }

  private static Instant at(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Seconds the period's counters must live from {@code now} (refreshed on every write). */
  public long ttlSeconds(Instant now) {
    Duration ttl = end == null ? TOTAL_IDLE_TTL : Duration.between(now, end).plus(KEEP_AFTER_END);
    return Math.max(1, ttl.toSeconds());
  }

  /** Words for messages: "daily", "weekly", "monthly", "total". */
  public String adjective() {
    return period.name().toLowerCase(java.util.Locale.ROOT);
  }
}
