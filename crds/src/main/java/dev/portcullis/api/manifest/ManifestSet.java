package dev.portcullis.api.manifest;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.SecretKeySelector;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.ProviderCredential;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.resolve.Resolution;
import dev.portcullis.api.resolve.ResourceSet;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.route.Target;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@link ManifestReader} read from a folder: the typed resources with where each came from,
 * the problems of the files themselves, and the Secret keys left out for want of an environment
 * variable.
 */
public final class ManifestSet {
  private final List<ManifestEntry<LLMRoute>> routes;
  private final List<ManifestEntry<VirtualKey>> keys;
  private final List<ManifestEntry<GuardrailPolicy>> policies;
  private final List<ManifestEntry<PromptTemplate>> templates;
  private final List<ManifestEntry<Secret>> secrets;
  private final List<ManifestProblem> problems;
  private final List<MissingEnvironmentVariable> missingVariables;
  private final Map<ResourceRef, ManifestLocation> locations;

  private ManifestSet(Builder b) {
    this.routes = List.copyOf(b.routes);
    this.keys = List.copyOf(b.keys);
    this.policies = List.copyOf(b.policies);
    this.templates = List.copyOf(b.templates);
    this.secrets = List.copyOf(b.secrets);
    this.problems = List.copyOf(b.problems);
    this.missingVariables = List.copyOf(b.missing);
    this.locations = Map.copyOf(b.locations);
  }

  public List<ManifestEntry<LLMRoute>> routes() {
    return routes;
  }

  public List<ManifestEntry<VirtualKey>> keys() {
    return keys;
  }

  public List<ManifestEntry<GuardrailPolicy>> policies() {
    return policies;
  }

  public List<ManifestEntry<PromptTemplate>> templates() {
    return templates;
  }

  public List<ManifestEntry<Secret>> secrets() {
    return secrets;
  }

  /** Every resource read, in file order. */
  public List<ManifestEntry<? extends HasMetadata>> all() {
    List<ManifestEntry<? extends HasMetadata>> all = new ArrayList<>();
    all.addAll(routes);
    all.addAll(keys);
    all.addAll(policies);
    all.addAll(templates);
    all.addAll(secrets);
    all.sort(
        Comparator.comparing((ManifestEntry<? extends HasMetadata> e) -> e.location().file())
            .thenComparingInt(e -> e.location().document()));
    return all;
  }

  /** Problems of the files: YAML syntax, unknown kinds, CRD schema violations, duplicates. */
  public List<ManifestProblem> problems() {
    return problems;
  }

  /** Secret keys left out because the environment variable their value names is unset. */
  public List<MissingEnvironmentVariable> missingEnvironmentVariables() {
    return missingVariables;
  }

  /** Where a resource was read from. */
  public Optional<ManifestLocation> locationOf(ResourceRef resource) {
    return Optional.ofNullable(locations.get(resource));
  }

  /** The resources, for the resolver. */
  public ResourceSet toResourceSet() {
    return new ResourceSet(
        resources(routes),
        resources(keys),
        resources(policies),
        resources(templates),
        resources(secrets));
  }

  private static <T extends HasMetadata> List<T> resources(List<ManifestEntry<T>> entries) {
    return entries.stream().map(ManifestEntry::resource).toList();
  }

  /**
   * Every file problem, then every problem of {@code resolution}, each as one line naming the file,
   * the resource, the field and what is wrong, e.g. {@code examples/bad/routes.yaml (LLMRoute
   * default/chat) spec.targets[0].timeouts.total: '30x' is not a duration: ...}. A problem caused
   * by a Secret key left out for an unset environment variable says which variable.
   */
  public List<String> describeProblems(Resolution resolution) {
    List<String> lines = new ArrayList<>();
    problems.forEach(p -> lines.add(p.describe()));
    if (resolution == null || resolution.problems() == null) {
      return List.copyOf(lines);
    }
    List<Map.Entry<ResourceRef, List<Problem>>> byResource =
        new ArrayList<>(resolution.problems().entrySet());
    byResource.sort(
        Comparator.comparing(
                (Map.Entry<ResourceRef, List<Problem>> e) ->
                    locationOf(e.getKey()).map(l -> l.file().toString()).orElse("~"))
            .thenComparingInt(e -> locationOf(e.getKey()).map(ManifestLocation::document).orElse(0))
            .thenComparing(e -> e.getKey().toString()));
    for (Map.Entry<ResourceRef, List<Problem>> entry : byResource) {
      ResourceRef ref = entry.getKey();
      ManifestLocation location = locations.get(ref);
      for (Problem problem : entry.getValue()) {
        String line = ManifestProblem.describe(location, ref, problem);
        List<String> explanations =
            missingVariables.stream()
                .filter(m -> explains(m, ref, problem))
                .map(MissingEnvironmentVariable::describe)
                .distinct()
                .toList();
        if (!explanations.isEmpty()) {
          line += " (" + String.join("; ", explanations) + ")";
        }
        lines.add(line);
      }
    }
    // The same rule may be reported by the reader and again by the resolver: say it once.
    return List.copyOf(new LinkedHashSet<>(lines));
  }

  /**
   * Whether the missing variable {@code m} explains {@code problem} of {@code ref}: the problem is
   * at a field that refers to the Secret key m left out, or it names that Secret and key.
   */
  private boolean explains(MissingEnvironmentVariable m, ResourceRef ref, Problem problem) {
    if (ref.equals(m.secret())) {
      return true;
    }
    if (!m.secret().namespace().equals(ref.namespace())) {
      return false;
    }
    String field = problem.field() == null ? "" : problem.field();
    for (SecretUse use : secretUses(ref)) {
      boolean sameKey = use.secret().equals(m.secret().name()) && use.key().equals(m.key());
      boolean related =
          !field.isEmpty() && (field.startsWith(use.field()) || use.field().startsWith(field));
      if (sameKey && related) {
        return true;
      }
    }
    String message = problem.message() == null ? "" : problem.message();
    return mentions(message, m.secret().name()) && mentions(message, m.key());
  }

  private static boolean mentions(String text, String word) {
    return Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(word) + "(?![A-Za-z0-9_-])")
        .matcher(text)
        .find();
  }

  /** A field of a resource that names a Secret key. */
  private record SecretUse(String field, String secret, String key) {}

  private List<SecretUse> secretUses(ResourceRef ref) {
    List<SecretUse> uses = new ArrayList<>();
    for (ManifestEntry<LLMRoute> route : routes) {
      if (route.ref().equals(ref) && route.resource().getSpec() != null) {
        List<Target> targets = route.resource().getSpec().getTargets();
        for (int i = 0; targets != null && i < targets.size(); i++) {
          Target target = targets.get(i);
          if (target != null && target.getCredentials() != null) {
            addUse(
                uses,
                "spec.targets[" + i + "].credentials",
                target.getCredentials().getSecretRef());
          }
        }
      }
    }
    for (ManifestEntry<VirtualKey> key : keys) {
      if (key.ref().equals(ref) && key.resource().getSpec() != null) {
        var spec = key.resource().getSpec();
        if (spec.getSecretName() != null) {
          uses.add(new SecretUse("spec.secretName", spec.getSecretName(), "apiKey"));
        }
        List<ProviderCredential> credentials = spec.getProviderCredentials();
        for (int i = 0; credentials != null && i < credentials.size(); i++) {
          if (credentials.get(i) != null) {
            addUse(uses, "spec.providerCredentials[" + i + "]", credentials.get(i).getSecretRef());
          }
        }
      }
    }
    return uses;
  }

  private static void addUse(List<SecretUse> uses, String field, SecretKeySelector selector) {
    if (selector != null && selector.getName() != null && selector.getKey() != null) {
      uses.add(new SecretUse(field, selector.getName(), selector.getKey()));
    }
  }

  @Override
  public String toString() {
    return "ManifestSet["
        + routes.size()
        + " routes, "
        + keys.size()
        + " keys, "
        + policies.size()
        + " policies, "
        + templates.size()
        + " templates, "
        + secrets.size()
        + " secrets, "
        + problems.size()
        + " problems]";
  }

  /** Collects what the reader finds; a later definition of the same resource is a problem. */
  static final class Builder {
    private final List<ManifestEntry<LLMRoute>> routes = new ArrayList<>();
    private final List<ManifestEntry<VirtualKey>> keys = new ArrayList<>();
    private final List<ManifestEntry<GuardrailPolicy>> policies = new ArrayList<>();
    private final List<ManifestEntry<PromptTemplate>> templates = new ArrayList<>();
    private final List<ManifestEntry<Secret>> secrets = new ArrayList<>();
    private final List<ManifestProblem> problems = new ArrayList<>();
    private final List<MissingEnvironmentVariable> missing = new ArrayList<>();
    private final Map<ResourceRef, ManifestLocation> locations = new LinkedHashMap<>();

    void problem(ManifestLocation location, ResourceRef resource, String field, String message) {
      problem(location, resource, new Problem(field, message));
    }

    void problem(ManifestLocation location, ResourceRef resource, Problem problem) {
      problems.add(new ManifestProblem(location, resource, problem));
    }

    void missing(MissingEnvironmentVariable variable) {
      missing.add(variable);
    }

    @SuppressWarnings("unchecked")
    void resource(ManifestEntry<? extends HasMetadata> entry) {
      ResourceRef ref = entry.ref();
      ManifestLocation earlier = locations.get(ref);
      if (earlier != null) {
        problem(
            entry.location(),
            ref,
            "metadata.name",
            ref + " is already defined in " + earlier + "; this definition is ignored");
        return;
      }
      locations.put(ref, entry.location());
      switch (entry.resource()) {
        case LLMRoute r -> routes.add((ManifestEntry<LLMRoute>) entry);
        case VirtualKey k -> keys.add((ManifestEntry<VirtualKey>) entry);
        case GuardrailPolicy p -> policies.add((ManifestEntry<GuardrailPolicy>) entry);
        case PromptTemplate t -> templates.add((ManifestEntry<PromptTemplate>) entry);
        case Secret s -> secrets.add((ManifestEntry<Secret>) entry);
        default -> throw new IllegalArgumentException("not a manifest kind: " + ref);
      }
    }

    ManifestSet build() {
      return new ManifestSet(this);
    }
  }
}
