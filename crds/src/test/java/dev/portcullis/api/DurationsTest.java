package dev.portcullis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesKubernetesStyleDurations() {
    assertThat(Durations.parse("200ms")).isEqualTo(Duration.ofMillis(200));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("720h")).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void rejectsOtherFormsWithAHint() {
    assertThatThrownBy(() -> Durations.parse("30")).hasMessageContaining("e.g. 500ms");
    assertThatThrownBy(() -> Durations.parse("PT30S")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatsRoundTrip() {
    for (String s : new String[] {"200ms", "30s", "1h30m", "24h", "1m5s"}) {
      assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
    }
  }
}
