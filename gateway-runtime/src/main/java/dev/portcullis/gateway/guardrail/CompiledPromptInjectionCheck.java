package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code promptInjection} check: fires when the {@link InjectionScorer} scores the text at or
 * above {@code threshold} (absent: {@value #DEFAULT_THRESHOLD}). It judges whole text; on input all
 * text parts together.
 */
final class CompiledPromptInjectionCheck implements WholeTextCheck {
  static final double DEFAULT_THRESHOLD = 0.8;

  /** One scorer for all checks: its automata do not depend on the settings. */
  private static final InjectionScorer SCORER = new InjectionScorer();

  private final double threshold;

  CompiledPromptInjectionCheck(double threshold) {
    this.threshold = threshold;
  }

  static CompiledPromptInjectionCheck compile(
      JsonNode settings, CheckTypeRegistry.CompileContext context) {
    double threshold = settings.path("threshold").asDouble(DEFAULT_THRESHOLD);
    if (threshold < 0 || threshold > 1) {
      throw new GuardrailCompileException("promptInjection.threshold: use a number from 0 to 1");
    }
    return new CompiledPromptInjectionCheck(threshold);
  }

  static double score(String text) {
    return SCORER.score(text);
  }

  @Override
  public boolean fires(String text, CheckContext context) {
    return SCORER.score(text) >= threshold;
  }
}
