package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.fleet.UsageReport.PromptTotals;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.prompt.PromptResults;
import dev.portcullis.gateway.provider.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prompt versions' results travel to the operator with the usage report. */
class PromptResultsReportTest {
  final FleetUsageReporterTest.TestingLedger ledger = new FleetUsageReporterTest.TestingLedger();
  final PromptResults results = new PromptResults();
  final List<UsageReport> sent = new ArrayList<>();
  boolean operatorUp = true;
  final FleetUsageReporter reporter =
      new FleetUsageReporter(
          ledger,
          results,
          "gateway-1",
          report -> {
            if (operatorUp) {
              sent.add(report);
            }
            return operatorUp;
          });

  void served(String version, long costNanos, long millis, boolean failed) {
    results.record(
        "team-a/support-bot",
        version,
        new PromptResults.Outcome(
            failed, new Usage(10, 4, 0), costNanos, Duration.ofMillis(millis)));
  }

  @Test
  void theVersionsServedSinceTheLastReportAreSentWithTheirCumulativeResults() {
    served("v1", 1_000, 20, false);
    served("v1", 3_000, 40, true);
    served("v2", 500, 10, false);

    reporter.reportNow();

    assertThat(sent).hasSize(1);
    assertThat(sent.getFirst().keys()).isEmpty();
    assertThat(sent.getFirst().prompts())
        .containsExactly(
            new PromptTotals("team-a/support-bot", "v1", 2, 1, 20, 8, "0.000004", 60, 2, null),
            new PromptTotals("team-a/support-bot", "v2", 1, 0, 10, 4, "0.0000005", 10, 1, null));
  }

  @Test
  void onlyVersionsThatServedAgainAreSentNext() {
    served("v1", 1_000, 20, false);
    served("v2", 1_000, 20, false);
    reporter.reportNow();
    served("v2", 1_000, 20, false);

    reporter.reportNow();
    reporter.reportNow();

    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).prompts()).extracting(PromptTotals::version).containsExactly("v2");
    assertThat(sent.get(1).prompts().getFirst().requests()).isEqualTo(2);
  }

  @Test
  void resultsOfAReportTheOperatorDidNotTakeAreSentAgain() {
    operatorUp = false;
    served("v1", 1_000, 20, false);
    reporter.reportNow();
    operatorUp = true;
    served("v2", 1_000, 20, false);

    reporter.reportNow();

    assertThat(sent).hasSize(1);
    assertThat(sent.getFirst().prompts())
        .extracting(PromptTotals::version)
        .containsExactly("v1", "v2");
  }

  @Test
  void aReportWithPromptsReadsBackAsSentAndOneWithoutHasNone() throws Exception {
    served("v1", 1_000, 20, false);
    reporter.reportNow();
    ObjectMapper json = Jackson.MAPPER;

    String text = json.writeValueAsString(sent.getFirst());
    UsageReport read = json.readValue(text, UsageReport.class);
    UsageReport keysOnly =
        json.readValue(
            "{\"pod\":\"p\",\"instance\":\"i\",\"scope\":\"POD\",\"keys\":[]}", UsageReport.class);

    assertThat(text).contains("\"spendUSD\":\"0.000001\"");
    assertThat(read).isEqualTo(sent.getFirst());
    assertThat(keysOnly.prompts()).isEmpty();
  }
}
