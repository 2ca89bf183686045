package dev.portcullis.api.resolve;

import dev.portcullis.api.ObjectRef;
import dev.portcullis.api.prompt.PromptMessage;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.prompt.PromptTemplateSpec;
import dev.portcullis.api.prompt.PromptVersion;
import dev.portcullis.api.prompt.RolloutEntry;
import dev.portcullis.api.prompt.Variable;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns one {@link PromptTemplate} into a {@link PromptTemplateConfig}. */
final class TemplateResolver {
  private final Map<String, LLMRoute> routes;

  /**
   * @param routes every route of the set by qualified name
   */
  TemplateResolver(Map<String, LLMRoute> routes) {
    this.routes = routes;
  }

  void resolve(PromptTemplate template, Candidate<PromptTemplateConfig> c) {
    PromptTemplateSpec spec = template.getSpec();
    if (spec == null) {
      c.problem("spec", "the PromptTemplate has no spec");
      return;
    }
    List<PromptTemplateConfig.Variable> variables = new ArrayList<>();
    if (spec.getVariables() != null) {
      for (Variable v : spec.getVariables()) {
        variables.add(
            new PromptTemplateConfig.Variable(
                v.getName(), Boolean.TRUE.equals(v.getRequired()), v.getDefaultValue()));
      }
    }
    List<PromptVersion> versionSpecs = spec.getVersions() == null ? List.of() : spec.getVersions();
    if (versionSpecs.isEmpty()) {
      c.problem("spec.versions", "a template needs at least one version");
    }
    List<PromptTemplateConfig.Version> versions = new ArrayList<>();
    for (int i = 0; i < versionSpecs.size(); i++) {
      versions.add(version(versionSpecs.get(i), "spec.versions[" + i + "]", c));
    }
    List<PromptTemplateConfig.RolloutEntry> rollout = new ArrayList<>();
    if (spec.getRollout() == null || spec.getRollout().isEmpty()) {
      // Absent rollout: every request gets the last version listed, as the CRD says.
      if (!versionSpecs.isEmpty()) {
        rollout.add(new PromptTemplateConfig.RolloutEntry(versionSpecs.getLast().getName(), 100));
      }
    } else {
      for (RolloutEntry entry : spec.getRollout()) {
        rollout.add(
            new PromptTemplateConfig.RolloutEntry(
                entry.getVersion(), entry.getWeight() == null ? 0 : entry.getWeight()));
      }
    }
    if (c.isClean()) {
      c.config = new PromptTemplateConfig(c.id, variables, versions, rollout, spec.getStickyOn());
    }
  }

  private PromptTemplateConfig.Version version(
      PromptVersion version, String field, Candidate<PromptTemplateConfig> c) {
    List<PromptTemplateConfig.Message> messages = new ArrayList<>();
    List<PromptMessage> messageSpecs =
        version.getMessages() == null ? List.of() : version.getMessages();
    for (int i = 0; i < messageSpecs.size(); i++) {
      PromptMessage m = messageSpecs.get(i);
      if (m.getRole() == null) {
        c.problem(
            field + ".messages[" + i + "].role",
            "set the role: system, developer, user or assistant");
        continue;
      }
      messages.add(
          new PromptTemplateConfig.Message(
              m.getRole().wireName(), m.getContent() == null ? "" : m.getContent()));
    }
    return new PromptTemplateConfig.Version(
        version.getName(),
        messages,
        SnapshotCodec.normalizedTree(version.getParams()),
        route(version.getRoute(), field + ".route", c));
  }

  private String route(ObjectRef ref, String field, Candidate<PromptTemplateConfig> c) {
    if (ref == null) {
      return null;
    }
    if (ref.getName() == null) {
      c.problem(field, "name the LLMRoute this version is sent to");
      return null;
    }
    String qualified = ref.qualifiedName(c.namespace());
    LLMRoute route = routes.get(qualified);
    if (route == null) {
      c.problem(field, "LLMRoute " + qualified + " does not exist");
    } else if (!RouteResolver.admits(route, c.namespace())) {
      c.problem(
          field,
          "LLMRoute "
              + qualified
              + " does not admit namespace "
              + c.namespace()
              + "; its owners can add "
              + c.namespace()
              + " to its spec.access.namespaces");
    } else {
      c.dependsOn(field, SnapshotResolver.routeRef(qualified));
    }
    return qualified;
  }
}
