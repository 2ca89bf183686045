package dev.portcullis.gateway.telemetry;

import dev.portcullis.gateway.prompt.PromptResults;
import dev.portcullis.gateway.prompt.PromptResults.VersionCounts;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The prompt template versions' results as {@code portcullis_prompt_*} metrics, labelled {@code
 * template} ({@code namespace/name}) and {@code version}: requests, errors, tokens by type, cost
 * and request duration (count and sum). They read the very counts the usage report sends the
 * operator for {@code PromptTemplate.status} ({@link PromptResults}), so the two agree. Label
 * values are names of the applied snapshot's templates and versions (a request names a template
 * that exists or is refused before it is counted), and a version's series go when the snapshot no
 * longer serves it: the series count is bounded by the configuration.
 */
final class PromptMeters implements PromptResults.Observer {
  static final String TEMPLATE = "template";
  static final String VERSION = "version";

  private record Series(String template, String version) {}

  private final MeterRegistry registry;
  private final Map<Series, List<Meter>> meters = new ConcurrentHashMap<>();

  PromptMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void counting(String template, String version, VersionCounts counts) {
    // The meters hold counts weakly; PromptResults holds them for as long as they are served.
    Tags tags = Tags.of(TEMPLATE, template, VERSION, version);
    List<Meter> registered =
        List.of(
            FunctionCounter.builder("portcullis.prompt.requests", counts, VersionCounts::requests)
                .description("Requests served with a prompt template version, failed ones too")
                .tags(tags)
                .register(registry),
            FunctionCounter.builder("portcullis.prompt.errors", counts, VersionCounts::errors)
                .description("Requests served with a prompt template version that ended in error")
                .tags(tags)
                .register(registry),
            FunctionCounter.builder("portcullis.prompt.tokens", counts, VersionCounts::inputTokens)
                .description("Tokens of requests served with a prompt template version")
                .tags(tags)
                .tag("type", "input")
                .register(registry),
            FunctionCounter.builder("portcullis.prompt.tokens", counts, VersionCounts::outputTokens)
                .description("Tokens of requests served with a prompt template version")
                .tags(tags)
                .tag("type", "output")
                .register(registry),
            FunctionCounter.builder("portcullis.prompt.cost.usd", counts, VersionCounts::costUsd)
                .description("What requests served with a prompt template version cost, in USD")
                .tags(tags)
                .register(registry),
            FunctionTimer.builder(
                    "portcullis.prompt.request.duration",
                    counts,
                    VersionCounts::latencyCount,
                    VersionCounts::latencyMillis,
                    TimeUnit.MILLISECONDS)
                .description("Duration of requests served with a prompt template version")
                .tags(tags)
                .register(registry));
    meters.put(new Series(template, version), registered);
  }

  @Override
  public void forgotten(String template, String version) {
    List<Meter> gone = meters.remove(new Series(template, version));
    if (gone != null) {
      gone.forEach(registry::remove);
    }
  }
}
