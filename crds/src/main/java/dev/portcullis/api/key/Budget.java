package dev.portcullis.api.key;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A spend limit in USD per period. */
@JsonClassDescription("A spend limit in USD per period.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Budget {

  @JsonProperty("amountUSD")
  @JsonPropertyDescription("The budget in USD as a decimal string, e.g. \"100.00\".")
  @Required
  @Pattern(ValidationPatterns.MONEY)
  private String amountUsd;

  @JsonPropertyDescription(
      "Daily, Weekly, Monthly or Total (never resets). Periods start at 00:00 UTC.")
  @Required
  private BudgetPeriod period;

  @JsonPropertyDescription(
      "Block (refuse requests once spent) or Warn (serve on, report). Absent: Block.")
  private BudgetAction action;

  public String getAmountUsd() {
    return amountUsd;
  }

  public void setAmountUsd(String amountUsd) {
    this.amountUsd = amountUsd;
  }

  public BudgetPeriod getPeriod() {
    return period;
  }

  public void setPeriod(BudgetPeriod period) {
    this.period = period;
  }

  public BudgetAction getAction() {
    return action;
  }

  public void setAction(BudgetAction action) {
    this.action = action;
  }
}
