package dev.portcullis.gateway.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {
  final PriceTable table = PriceTable.builtIn();
  final CostCalculator costs = new CostCalculator(table);
  final TargetConfig openai = TestSnapshots.provider("p", "openai", null, null);

  @Test
  void theBuiltInTableIsDated() {
    assertThat(table.asOf()).isNotNull();
  }

  @Test
  void aDatedModelFindsItsFamilysPrice() {
    assertThat(table.lookup("gpt-4o-2024-08-06")).isEqualTo(table.lookup("gpt-4o"));
    assertThat(table.lookup("claude-sonnet-4-20250514")).isEqualTo(table.lookup("claude-sonnet-4"));
  }

  @Test
  void theLongestMatchingNameWins() {
    assertThat(table.lookup("gpt-4o-mini-2024-07-18")).isEqualTo(table.lookup("gpt-4o-mini"));
    assertThat(table.lookup("gpt-4o-mini")).isNotEqualTo(table.lookup("gpt-4o"));
  }

  @Test
  void aNameOnlyMatchesAtASeparator() {
    assertThat(table.lookup("gpt-4.1")).isNotEqualTo(table.lookup("gpt-4"));
    assertThat(table.lookup("gpt-4oz")).isEmpty();
  }

  @Test
  void cachedInputIsBilledAtItsOwnPrice() {
    // gpt-4o: $2.50 input, $1.25 cached, $10 output per million tokens.
    Price p = costs.price(openai, "gpt-4o");
    long nanos = CostCalculator.costNanos(p, new Usage(1_000_000, 100_000, 400_000));
    // 0.6M uncached × 2.50 + 0.4M cached × 1.25 + 0.1M output × 10 = 1.5 + 0.5 + 1.0
    assertThat(UsdAmount.format(nanos)).isEqualTo("3");
  }

  @Test
  void aTargetsPricingOverridesTheTable() {
    TargetConfig own = TestSnapshots.priced(openai, "1", "2");
    Price p = costs.price(own, "gpt-4o");
    assertThat(p.inputPerMTok()).isEqualByComparingTo("1");
    assertThat(p.outputPerMTok()).isEqualByComparingTo("2");
    assertThat(p.cachedInputPerMTok()).isEqualByComparingTo("1");
  }

  @Test
  void anUnpricedModelCostsNothing() {
    assertThat(costs.price(openai, "my-local-llama").isFree()).isTrue();
  }

  @Test
  void amountsAreWholeNanoDollarsPrintedPlainly() {
    assertThat(UsdAmount.toNanos(new BigDecimal("0.0000000004"))).isZero();
    assertThat(UsdAmount.format(1_250_000)).isEqualTo("0.00125");
    assertThat(UsdAmount.format(0)).isEqualTo("0");
  }
}
