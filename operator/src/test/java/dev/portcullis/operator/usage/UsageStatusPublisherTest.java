package dev.portcullis.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.fleet.UsageReport.KeyTotals;
import dev.portcullis.api.key.KeyUsage;
import dev.portcullis.operator.snapshot.Kinds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageStatusPublisherTest {
  static final Instant T0 = Instant.parse("2025-03-07T12:00:00Z");

  final UsageRollup rollup = new UsageRollup();
  final List<ResourceRef> triggered = new ArrayList<>();
  Instant now = T0;
  final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };
  final UsageStatusPublisher publisher =
      new UsageStatusPublisher(rollup, Duration.ofSeconds(10), clock, triggered::add);

  void report(String spend, long requests) {
    rollup.accept(
        new UsageReport(
            "gw",
            "i1",
            UsageReport.Scope.FLEET,
            List.of(
                new KeyTotals(
                    "team-a/checkout",
                    "MONTHLY",
                    "2025-03-01T00:00:00Z",
                    spend,
                    requests,
                    10 * requests,
                    5 * requests))));
  }

  @Test
  void aKeysFirstFiguresArePublishedAtOnceAndItsReconcilerTriggered() {
    report("0.5", 3);

    publisher.tick();

    assertThat(triggered).containsExactly(new ResourceRef(Kinds.KEY, "team-a", "checkout"));
    KeyUsage usage = publisher.usage("team-a", "checkout").orElseThrow();
    assertThat(usage.getSpendUsd()).isEqualTo("0.5");
    assertThat(usage.getRequests()).isEqualTo(3);
    assertThat(usage.getInputTokens()).isEqualTo(30);
    assertThat(usage.getOutputTokens()).isEqualTo(15);
    assertThat(usage.getPeriodStart()).isEqualTo("2025-03-01T00:00:00Z");
    assertThat(usage.getUpdatedAt()).isEqualTo(T0.toString());
  }

  @Test
  void newFiguresWaitUntilTheIntervalSinceTheLastPublicationHasPassed() {
    report("0.5", 3);
    publisher.tick();
    report("0.7", 4);
    now = T0.plusSeconds(9);
    publisher.tick();

    assertThat(publisher.usage("team-a", "checkout").orElseThrow().getSpendUsd()).isEqualTo("0.5");
    assertThat(triggered).hasSize(1);

    now = T0.plusSeconds(10);
    publisher.tick();

    assertThat(publisher.usage("team-a", "checkout").orElseThrow().getSpendUsd()).isEqualTo("0.7");
    assertThat(publisher.usage("team-a", "checkout").orElseThrow().getUpdatedAt())
        .isEqualTo(T0.plusSeconds(10).toString());
    assertThat(triggered).hasSize(2);
  }

  @Test
  void manyReportsWithinOneIntervalMakeOnePublication() {
    report("0.1", 1);
    publisher.tick();
    for (int i = 2; i <= 20; i++) {
      now = T0.plusMillis(400L * i);
      report("0." + i, i);
      publisher.tick();
    }
    now = T0.plusSeconds(10);
    publisher.tick();

    assertThat(triggered).hasSize(2);
    assertThat(publisher.usage("team-a", "checkout").orElseThrow().getRequests()).isEqualTo(20);
  }

  @Test
  void updatedAtIsInWholeSecondsLikeTheOtherTimesInStatus() {
    now = T0.plusMillis(1_750);
    report("0.5", 3);
    publisher.tick();

    assertThat(publisher.usage("team-a", "checkout").orElseThrow().getUpdatedAt())
        .isEqualTo("2025-03-07T12:00:01Z");
  }

  @Test
  void unchangedFiguresAreNotPublishedAgain() {
    report("0.5", 3);
    publisher.tick();
    now = T0.plusSeconds(60);
    report("0.5", 3);
    publisher.tick();

    assertThat(triggered).hasSize(1);
    assertThat(publisher.usage("team-a", "checkout").orElseThrow().getUpdatedAt())
        .isEqualTo(T0.toString());
  }

  @Test
  void aKeyNoGatewayReportedHasNoUsage() {
    publisher.tick();

    assertThat(publisher.usage("team-a", "checkout")).isEmpty();
    assertThat(triggered).isEmpty();
  }
}
