package dev.portcullis.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * What reconcilers share: the reports, the triggers that reach them, Events, the usage to show,
 * client and clock.
 */
record OperatorContext(
    KubernetesClient client,
    ResourceReports reports,
    StatusTriggers triggers,
    EventRecorder events,
    UsageStatusPublisher usage,
    Clock clock) {}
