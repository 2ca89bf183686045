package dev.portcullis.gateway.telemetry;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenTelemetry GenAI histograms of one (operation, provider, request model, response model),
 * with the conventions' explicit bucket boundaries. Each meter is registered on first use.
 */
final class GenAiMeters {
  /** {@code gen_ai.client.token.usage}: 1, 4, 16, … 4²⁶ tokens. */
  static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };

  /** {@code gen_ai.server.request.duration}: 10 ms doubling to 81.92 s. */
  static final double[] DURATION_BUCKETS = {
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
  };

  /** {@code gen_ai.server.time_to_first_token}. */
  static final double[] TTFT_BUCKETS = {
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0
  };

  /** {@code gen_ai.server.time_per_output_token}. */
  static final double[] TPOT_BUCKETS = {
    0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5
  };

  private static final Duration[] DURATION_SLOS = durations(DURATION_BUCKETS);
  private static final Duration[] TTFT_SLOS = durations(TTFT_BUCKETS);
  private static final Duration[] TPOT_SLOS = durations(TPOT_BUCKETS);

  private final MeterRegistry registry;
  private final Tags tags;
  private final Map<String, Timer> durationByError = new ConcurrentHashMap<>();
  private volatile Timer timeToFirstToken;
  private volatile Timer timePerOutputToken;
  private volatile DistributionSummary inputTokens;
  private volatile DistributionSummary outputTokens;

  GenAiMeters(
      MeterRegistry registry,
      String operation,
      String provider,
      String requestModel,
      String responseModel) {
    this.registry = registry;
    this.tags =
        Tags.of(
            Labels.GEN_AI_OPERATION,
            operation,
            Labels.GEN_AI_PROVIDER,
            provider,
            Labels.GEN_AI_REQUEST_MODEL,
            requestModel,
            Labels.GEN_AI_RESPONSE_MODEL,
            responseModel);
  }

  /** {@code gen_ai_server_request_duration_seconds} for one {@code error.type} label. */
  Timer duration(String errorType) {
    Timer t = durationByError.get(errorType);
    if (t == null) {
      t =
          durationByError.computeIfAbsent(
              errorType,
              e ->
                  Timer.builder("gen_ai.server.request.duration")
                      .description("Time the gateway took to answer a GenAI request")
                      .tags(tags)
                      .tag(Labels.ERROR_TYPE, e)
                      .serviceLevelObjectives(DURATION_SLOS)
                      .register(registry));
    }
    return t;
  }

  Timer timeToFirstToken() {
    Timer t = timeToFirstToken;
    if (t == null) {
      t =
          Timer.builder("gen_ai.server.time_to_first_token")
              .description("Time to the first token (or byte) of a successful response")
              .tags(tags)
              .serviceLevelObjectives(TTFT_SLOS)
              .register(registry);
      timeToFirstToken = t;
    }
    return t;
  }

  Timer timePerOutputToken() {
    Timer t = timePerOutputToken;
    if (t == null) {
      t =
          Timer.builder("gen_ai.server.time_per_output_token")
              .description("Time per output token after the first, for successful streams")
              .tags(tags)
              .serviceLevelObjectives(TPOT_SLOS)
              .register(registry);
      timePerOutputToken = t;
    }
    return t;
  }

  DistributionSummary inputTokens() {
    DistributionSummary s = inputTokens;
    if (s == null) {
      s = tokens("input");
      inputTokens = s;
    }
    return s;
  }

  DistributionSummary outputTokens() {
    DistributionSummary s = outputTokens;
    if (s == null) {
      s = tokens("output");
      outputTokens = s;
    }
    return s;
  }

  private DistributionSummary tokens(String type) {
    return DistributionSummary.builder("gen_ai.client.token.usage")
        .description("Tokens used per request, by input and output")
        .tags(tags)
        .tag(Labels.GEN_AI_TOKEN_TYPE, type)
        .serviceLevelObjectives(TOKEN_BUCKETS)
        .register(registry);
  }

  private static Duration[] durations(double[] seconds) {
    Duration[] out = new Duration[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      out[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
    }
    return out;
  }
}
