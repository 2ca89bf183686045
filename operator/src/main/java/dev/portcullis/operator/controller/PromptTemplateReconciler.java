package dev.portcullis.operator.controller;

import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.prompt.PromptTemplateStatus;
import dev.portcullis.api.prompt.PromptVersionResults;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.operator.snapshot.Kinds;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Status of PromptTemplates: the four conditions, the version names the fleet serves and how it
 * splits traffic between them, and each version's results as the gateways reported them (requests,
 * errors, tokens, cost, mean latency; {@code requests} for the REQUESTS column). Results are shown
 * only for versions the snapshot serves: a version removed, or a template left out as invalid,
 * loses them (the gateways and the operator forget them too, so they would start from zero).
 */
public final class PromptTemplateReconciler
    extends StatusReconciler<PromptTemplate, PromptTemplateStatus, Void> {
  public PromptTemplateReconciler(OperatorContext operator) {
    super(operator, Kinds.TEMPLATE);
  }

  @Override
  protected PromptTemplateStatus newStatus(PromptTemplateStatus previous) {
    return new PromptTemplateStatus();
  }

  @Override
  protected void fill(
      PromptTemplateStatus status,
      PromptTemplateStatus previous,
      ResourceReport report,
      PromptTemplate template,
      Optional<Void> acted) {
    if (!(report.record() instanceof PromptTemplateConfig config)) {
      // Not served (invalid): the gateways and the operator forget its results, and so does status.
      return;
    }
    status.setVersions(config.versions().stream().map(PromptTemplateConfig.Version::name).toList());
    status.setRollout(
        config.rollout().stream()
            .map(entry -> entry.version() + "=" + entry.weight() + "%")
            .collect(Collectors.joining(",")));
    Optional<List<PromptVersionResults>> results =
        operator
            .usage()
            .promptResults(template.getMetadata().getNamespace(), template.getMetadata().getName());
    // Until this replica has figures (e.g. after a restart), the last written ones stand; only
    // versions the template still has are shown.
    List<PromptVersionResults> shown =
        results.orElse(previous == null ? null : previous.getResults());
    if (shown == null) {
      return;
    }
    Set<String> versions =
        config.versions().stream()
            .map(PromptTemplateConfig.Version::name)
            .collect(Collectors.toSet());
    shown = shown.stream().filter(r -> versions.contains(r.getVersion())).toList();
    if (!shown.isEmpty()) {
      status.setResults(shown);
      status.setRequests(
          shown.stream()
              .map(r -> r.getVersion() + "=" + r.getRequests())
              .collect(Collectors.joining(",")));
    }
  }
}
