package dev.portcullis.operator.snapshot;

import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.resolve.ResourceSet;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's own view of the cluster: informers for the four Portcullis kinds and for Secrets
 * in the watched namespaces. Every replica runs them, leader or not, because every replica serves
 * snapshots; the reconcilers (leader only) have JOSDK's informers besides.
 *
 * <p>Any change that can alter the snapshot calls the {@code onChange} given to {@link #start}: the
 * snapshot is rebuilt from all of it anyway (see the design note for why there is no referrer
 * index).
 */
public final class ResourceCaches implements AutoCloseable {
  private final KubernetesClient client;
  private final Set<String> namespaces;
  private volatile Runnable onChange = () -> {};
  private final List<SharedIndexInformer<LLMRoute>> routes = new ArrayList<>();
  private final List<SharedIndexInformer<VirtualKey>> keys = new ArrayList<>();
  private final List<SharedIndexInformer<GuardrailPolicy>> policies = new ArrayList<>();
  private final List<SharedIndexInformer<PromptTemplate>> templates = new ArrayList<>();
  private final List<SharedIndexInformer<Secret>> secrets = new ArrayList<>();

  public ResourceCaches(KubernetesClient client, Set<String> namespaces) {
    this.client = client;
    this.namespaces = new TreeSet<>(namespaces);
  }

  /**
   * Lists and starts watching; returns once every cache holds the initial list.
   *
   * @param onChange called on every change that can alter the snapshot (the snapshot builder's
   *     request for a build)
   */
  public void start(Runnable onChange) {
    this.onChange = onChange;
    inform(LLMRoute.class, routes);
    inform(VirtualKey.class, keys);
    inform(GuardrailPolicy.class, policies);
    inform(PromptTemplate.class, templates);
    inform(Secret.class, secrets);
  }

  private <T extends HasMetadata> void inform(Class<T> type, List<SharedIndexInformer<T>> into) {
    ResourceEventHandler<T> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            onChange.run();
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            if (changesSnapshot(oldObj, newObj)) {
              onChange.run();
            }
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            onChange.run();
          }
        };
    if (namespaces.isEmpty()) {
      into.add(client.resources(type).inAnyNamespace().inform(handler, 0));
    } else {
      for (String namespace : namespaces) {
        into.add(client.resources(type).inNamespace(namespace).inform(handler, 0));
      }
    }
  }

  /**
   * Whether an update can change the snapshot. A resync (same resourceVersion) cannot. Nor can an
   * update of a custom resource that keeps its generation: that is a status or metadata write (the
   * leader's own status writes, above all), and the resolver reads only spec, name, namespace and
   * generation of the four kinds. Without this, every status write of a 10,000-key fleet would
   * trigger another full build. Secrets have no generation; any new version of one counts.
   */
  public static boolean changesSnapshot(HasMetadata before, HasMetadata after) {
    String version = before.getMetadata().getResourceVersion();
    if (version != null && version.equals(after.getMetadata().getResourceVersion())) {
      return false;
    }
    if (after instanceof Secret) {
      return true;
    }
    Long generation = before.getMetadata().getGeneration();
    return generation == null || !generation.equals(after.getMetadata().getGeneration());
  }

  /** Everything the resolver reads, as the caches hold it now. */
  public ResourceSet resourceSet() {
    return new ResourceSet(
        items(routes), items(keys), items(policies), items(templates), items(secrets));
  }

  private static <T> List<T> items(List<SharedIndexInformer<T>> informers) {
    List<T> all = new ArrayList<>();
    for (SharedIndexInformer<T> informer : informers) {
      all.addAll(informer.getStore().list());
    }
    return all;
  }

  @Override
  public void close() {
    for (List<? extends SharedIndexInformer<?>> list :
        List.of(routes, keys, policies, templates, secrets)) {
      list.forEach(SharedIndexInformer::close);
    }
  }
}
