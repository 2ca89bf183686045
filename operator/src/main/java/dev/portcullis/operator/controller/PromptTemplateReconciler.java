package dev.portcullis.operator.controller;

import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.prompt.PromptTemplateStatus;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.operator.snapshot.Kinds;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Status of PromptTemplates: the four conditions, the version names the fleet serves and how it
 * splits traffic between them.
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
    if (report.record() instanceof PromptTemplateConfig config) {
      status.setVersions(
          config.versions().stream().map(PromptTemplateConfig.Version::name).toList());
      status.setRollout(
          config.rollout().stream()
              .map(entry -> entry.version() + "=" + entry.weight() + "%")
              .collect(Collectors.joining(",")));
    }
  }
}
