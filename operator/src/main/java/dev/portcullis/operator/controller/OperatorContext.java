package dev.portcullis.operator.controller;

import dev.portcullis.operator.usage.UsageStatusPublisher;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * What reconcilers share: the reports, the triggers that reach them, Events, the usage to show,
 * client and clock.
 */
public record OperatorContext(
    KubernetesClient client,
    ResourceReports reports,
    StatusTriggers triggers,
    EventRecorder events,
    UsageStatusPublisher usage,
    Clock clock) {}
