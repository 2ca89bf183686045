package dev.portcullis.operator.controller;

import dev.portcullis.api.ResourceRef;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bridge from "this resource's report changed" to a JOSDK reconciliation: one inbound event
 * source per kind, registered by its reconciler. On a replica that is not the leader the
 * controllers do not process events, so triggering there is harmless.
 */
public final class StatusTriggers {
  private final Map<String, SimpleInboundEventSource<?>> sources = new ConcurrentHashMap<>();

  public void register(String kind, SimpleInboundEventSource<?> source) {
    sources.put(kind, source);
  }

  public void trigger(ResourceRef ref) {
    SimpleInboundEventSource<?> source = sources.get(ref.kind());
    if (source != null) {
      source.propagateEvent(new ResourceID(ref.name(), ref.namespace()));
    }
  }
}
