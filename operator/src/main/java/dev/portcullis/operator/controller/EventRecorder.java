package dev.portcullis.operator.controller;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Writes Kubernetes Events ({@code kubectl describe}, {@code kubectl get events}) on Portcullis
 * resources. An Event that cannot be written is logged and dropped: Events are a courtesy, and a
 * failure must not fail the reconciliation that caused it.
 */
public final class EventRecorder {
  private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  private static final String COMPONENT = "portcullis-operator";
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(HasMetadata involved, String type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String namespace = involved.getMetadata().getNamespace();
    String text =
        message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      involved.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
                  .withNamespace(namespace)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(involved.getApiVersion())
                          .withKind(involved.getKind())
                          .withName(involved.getMetadata().getName())
                          .withNamespace(namespace)
                          .withUid(involved.getMetadata().getUid())
                          .withResourceVersion(involved.getMetadata().getResourceVersion())
                          .build())
                  .withType(type)
                  .withReason(reason)
                  .withMessage(text)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warning(
          "could not record event "
              + reason
              + " on "
              + involved.getKind()
              + " "
              + namespace
              + "/"
              + involved.getMetadata().getName()
              + ": "
              + e.getMessage());
    }
  }
}
